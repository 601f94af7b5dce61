'use strict';

const { slugify } = require('./text');

class Posts {
  constructor(options = {}) {
    this.options = options;
    this.bySlug = new Map();
  }

  add(title) {
    const slug = slugify(title);
    this.bySlug.set(slug, { title, slug });
    return slug;
  }

  get(slug) {
    return this.bySlug.get(slug);
  }
}

module.exports = { Posts };
