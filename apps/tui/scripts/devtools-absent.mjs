// Stands in for react-devtools-core in the bundled binary. Ink imports it only under DEV=true and
// explains, when the import fails this way, how to debug with React DevTools.
const absent = new Error("react-devtools-core is not part of the jobrun binary");
absent.code = "ERR_MODULE_NOT_FOUND";
throw absent;
// Never reached; the import that Ink makes names it.
export default undefined;
