/**
 * Which BokehJS bundles a document needs. Stub until the real choice lands: every bundle.
 */
import type { HasProps } from "../core/has_props.ts"
import { BOKEHJS_BUNDLES } from "./resources.ts"

export type BundleName = (typeof BOKEHJS_BUNDLES)[number]

/** The bundles the given models need, in load order. */
export function required_bundles(_models: Iterable<HasProps>): BundleName[] {
  return [...BOKEHJS_BUNDLES]
}
