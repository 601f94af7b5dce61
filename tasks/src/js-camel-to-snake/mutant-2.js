function camelToSnake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}
if (typeof module !== "undefined") module.exports = { camelToSnake };
