// Which build of kubelab is running. bin/build.js writes the build's time into the
// bundle (esbuild `define`); the TypeScript sources (tsx, tests) have none, so caches
// keyed on the code are only used by a build, which cannot change under them.
declare const KUBELAB_BUILD_ID: string | undefined;

/** The bundle's build id, or undefined when running from the sources. */
export const BUILD_ID: string | undefined = typeof KUBELAB_BUILD_ID === 'string' ? KUBELAB_BUILD_ID : undefined;
