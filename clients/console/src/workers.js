// Monaco's language workers, bundled beside the page by build.mjs (no CDN, no blob: URLs).
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`/console/assets/${name}.worker.js`, { name: `${name}-worker` });
  },
};
