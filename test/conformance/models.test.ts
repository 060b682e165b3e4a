/**
 * Every concrete registered model, as a default instance and as seeded random instances: our document
 * JSON must load in BokehJS (which validates every value against its own kinds) with equal values.
 */
import { test } from "node:test"
import assert from "node:assert/strict"
import "../../src/models/main.ts"
import { Document } from "../../src/document/document.ts"
import type { HasProps } from "../../src/core/has_props.ts"
import { resolve_model_class } from "../../src/core/registry.ts"
import { B, diff_document, to_bokehjs } from "./oracle.ts"
import { Rng, UNCONSTRUCTIBLE, ValueGen } from "./random_values.ts"

const concrete: string[] = [...B.Models.names].sort()
B.set_log_level("error")

function check(name: string, make: (gen: ValueGen) => ReturnType<ValueGen["instance"]>, gen: ValueGen, arrays: "base64" | "buffers"): string[] {
  const doc = new Document()
  const model = make(gen)
  doc.add_root(model)
  let bdoc
  try {
    bdoc = to_bokehjs(doc, arrays)
  } catch (e) {
    return [`${name}: BokehJS can't load our document: ${(e as Error).message}`]
  }
  return diff_document(doc, bdoc)
}

test("default instances of every concrete model load in BokehJS with equal values", () => {
  const problems: string[] = []
  let n = 0
  for (const name of concrete) {
    if (UNCONSTRUCTIBLE.has(name)) continue
    const gen = new ValueGen(new Rng(1), { concrete, fill: 0, max_depth: 1 })
    problems.push(...check(name, (g) => g.instance(name), gen, "base64"))
    n++
  }
  assert.ok(n > 395, `only ${n} models checked`)
  assert.deepEqual(problems, [])
})

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`random instances of every concrete model (seed ${seed}) load in BokehJS with equal values`, () => {
    const problems: string[] = []
    const gen = new ValueGen(new Rng(seed), { concrete, fill: 0.4, max_depth: 2 })
    for (const name of concrete) {
      if (UNCONSTRUCTIBLE.has(name)) continue
      problems.push(...check(name, (g) => g.instance(name), gen, seed % 2 === 0 ? "buffers" : "base64"))
    }
    assert.deepEqual(problems, [])
  })
}

test("every model has exactly BokehJS's public properties (internal ones made public by a subclass included)", () => {
  const problems: string[] = []
  for (const name of concrete) {
    const theirs = B.Models.get(name).prototype._props as Record<string, { type: unknown; options?: { internal?: boolean } }>
    // Aliases (InspectTool.toggleable) are accessors forwarding to their target, not properties.
    const is_alias = (p: string): boolean => (theirs[p]!.type as object).constructor.name === "PropertyAlias"
    const public_ = Object.keys(theirs)
      .filter((p) => theirs[p]!.options?.internal !== true && !is_alias(p))
      .sort()
    const ours = Object.keys((resolve_model_class(name) as unknown as typeof HasProps).__props__).sort()
    if (JSON.stringify(public_) !== JSON.stringify(ours))
      problems.push(`${name}: BokehJS [${public_.filter((p) => !ours.includes(p))}] missing, [${ours.filter((p) => !public_.includes(p))}] extra`)
  }
  assert.deepEqual(problems, [])
})
