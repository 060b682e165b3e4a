/** Every gallery app, served as `npm start` serves it, pulls with Python's stock client without an error or warning. */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { PyAgent, skip, start_gallery } from "./python.ts"

interface Checked {
  roots: number
  models: number
  errors: string[]
  warnings: string[]
}

describe("the gallery with Python's bokeh.client", { skip }, () => {
  let py: PyAgent
  let gallery: Awaited<ReturnType<typeof start_gallery>>

  before(async () => {
    ;[py, gallery] = await Promise.all([PyAgent.start(), start_gallery()])
  })
  after(async () => {
    await Promise.all([py?.stop(), gallery?.stop()])
  })

  it("serves the gallery's apps", () => {
    assert.ok(gallery.urls.length >= 9, gallery.urls.join(", "))
  })

  it("every app pulls with no exception, no Python warning or log message, no validation error or warning", async () => {
    const problems: string[] = []
    for (const url of gallery.urls) {
      try {
        const { result, log } = await py.call_logged<Checked>("gallery.pull_check", { url })
        if (result.roots === 0) problems.push(`${url}: an empty document`)
        for (const e of result.errors) problems.push(`${url}: validation error ${e}`)
        for (const w of result.warnings) problems.push(`${url}: validation warning ${w}`)
        for (const l of log) problems.push(`${url}: ${l}`)
      } catch (e) {
        problems.push(`${url}: ${String(e)}`)
      }
    }
    assert.deepEqual(problems, [])
  })
})
