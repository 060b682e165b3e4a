export type FoundPython = { ok: true; python: string; versions: { bokeh: string; tornado: string; numpy: string } } | { ok: false; reason: string }
export function find_python(): FoundPython
