function camelToSnake(name) {
  return name.replace(/([A-Z])/g, "_$1").toLowerCase().replace(/^_/, "");
}
if (typeof module !== "undefined") module.exports = { camelToSnake };
