import fc from 'fast-check';

/**
 * Property tests (fast-check) draw their cases from a seed. In CI the seed is fixed, so a red run
 * is the code's doing and replays as it was; elsewhere it is new each run, so running the tests
 * keeps looking for cases no one has tried. Either way a failure prints its seed and shrunk case.
 *
 * FC_SEED=n replays a seed; FC_RUNS=n runs n cases per property where a test does not set its own
 * number (a long hunt: `FC_RUNS=2000 npx vitest run --project unit`).
 */
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? 20261202 : undefined;
const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
fc.configureGlobal({ ...(seed !== undefined ? { seed } : {}), ...(numRuns ? { numRuns } : {}) });
