import autoprefixer from 'autoprefixer';

// Adds the vendor prefixes the supported browsers still need (e.g. Safari's -webkit-backdrop-filter).
export default {
  plugins: [autoprefixer()],
};
