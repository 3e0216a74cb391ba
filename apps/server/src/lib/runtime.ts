import v8 from 'node:v8';

/**
 * The V8 settings every Vigie process runs with (the server and the CLI; the benchmarks that measure them in process
 * take the same, baselines included). Set before the work starts, once per process.
 *
 * Allocation-site pretenuring is off. V8 learns from a site whose objects outlived a young-generation collection to
 * allocate that site's next objects straight in the old generation. node-postgres's protocol parser is such a site
 * (each field of each row is a slice of the socket's buffer): after a few hundred list pages V8 pretenured it, and every
 * young collection then had to walk old objects pointing at young buffers. On PostgreSQL, at 100,000 incidents, those
 * collections went from ~1 ms to ~9 ms (median), once every 25 or so pages, and a page that met one took 10 ms instead
 * of 1.5: most of the list's slowest twentieth. Without pretenuring: ~1 ms, nothing else slower (2026-12-03, bench/README.md).
 */
export function tuneRuntime(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
