/**
 * Files of the package found from its root folder. This module lies two folders below the root
 * (`src/util/`, `dist/util/`), and so does every file of the bundled CLI (`dist/bundle/`, where
 * this code is copied into), so the same URL holds whichever of the three runs.
 */
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);

/** A file of the package by its path from the root (`templates/report/`, `dist/batch/worker.js`). */
export function packageFile(path: string): URL {
  return new URL(path, ROOT);
}

/** Whether this code runs from the bundled CLI (`scripts/bundle.mjs`) rather than from its own module. */
export const BUNDLED = new URL('.', import.meta.url).href === packageFile('dist/bundle/').href;

/**
 * A worker thread's entry module: the bundle's copy (`dist/bundle/<bundled>.js`) when the caller
 * runs from the bundle, so the worker loads one file rather than hundreds; else `dist/<path>`.
 */
export function workerFile(path: string, bundled: string): URL {
  return packageFile(BUNDLED ? `dist/bundle/${bundled}.js` : `dist/${path}`);
}

let version: string | undefined;

/** The package's version, from its package.json (read once). */
export function packageVersion(): string {
  return (version ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version);
}
