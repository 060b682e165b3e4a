/**
 * `DocumentModelManager` (Python's `bokeh.document.models`): every model reachable from a document's roots,
 * by id, kept current as references change, and the models the document's peers already have.
 *
 * Models join eagerly (a reference assigned in the document is walked at once, so their changes are reported
 * from the start) and leave lazily: replacing a value that held models marks the set stale, and the next read
 * recomputes reachability from the roots. Only this module and its facade, `Document`, change
 * `model.document`.
 */
import { DocumentError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import { visit_models } from "../core/util/refs.ts"
import { default_theme } from "../themes/main.ts"
import type { Document } from "./document.ts"

export interface Selector {
  type?: abstract new (...args: never[]) => HasProps
  name?: string
  tags?: unknown[]
}

export class DocumentModelManager {
  /** Every model reachable from the roots, by id (read through `current()`, which recomputes when stale). */
  private readonly _models = new Map<string, HasProps>()
  /** Set when a reference may have been dropped: the next read recomputes reachability. */
  private _stale = false
  /** Models the peers already have: patches send them as bare refs. Always a subset of the current models. */
  private readonly _known = new Set<HasProps>()

  constructor(private readonly _doc: Document) {}

  // -------------------------------------------------------------------------------------------
  // lookups

  /** Every current model by id, recomputing reachability first if a reference was dropped. Don't modify. */
  current(): ReadonlyMap<string, HasProps> {
    if (this._stale) this.recompute()
    return this._models
  }

  get(id: string): HasProps | null {
    return this.current().get(id) ?? null
  }

  /** Models matching every given criterion: type (class), name, tags (any of). */
  select(selector: Selector): HasProps[] {
    const out: HasProps[] = []
    for (const model of this.current().values()) if (matches(model, selector)) out.push(model)
    return out
  }

  /** The model with this `name`, or null; throws if several have it. */
  get_by_name(name: string): HasProps | null {
    const found = this.select({ name })
    if (found.length > 1) throw new DocumentError("BK_ERR_AMBIGUOUS_SELECTION", `${found.length} models are named '${name}'; use select() to get them all`)
    return found[0] ?? null
  }

  /** The one model matching `selector`, or null; throws if several match. */
  select_one(selector: Selector): HasProps | null {
    const found = this.select(selector)
    if (found.length > 1)
      throw new DocumentError(
        "BK_ERR_AMBIGUOUS_SELECTION",
        `select_one found ${found.length} models matching ${JSON.stringify({ ...selector, type: selector.type?.name })}`,
      )
    return found[0] ?? null
  }

  /**
   * Whether `id` is the config's or a model's it references. As in Python they are not among the document's
   * models (patches can't reach them), but they share the id space peers load with the roots, so a peer must
   * not reuse one of their ids for another model.
   */
  is_config_model_id(id: string): boolean {
    const config = this._doc.config
    if (config === null) return false
    const seen = new Set<HasProps>()
    const stack = [config]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (model.id === id) return true
      if (seen.has(model)) continue
      seen.add(model)
      model._visit_refs((m) => stack.push(m))
    }
    return false
  }

  // -------------------------------------------------------------------------------------------
  // what the peers have

  is_known(model: HasProps): boolean {
    return this._known.has(model)
  }

  /** Counts a model of this document as sent in full to every peer. */
  mark_known(model: HasProps): void {
    if (model.document === this._doc) this._known.add(model)
  }

  /** Every current model is on every peer (after the whole document was sent or loaded). */
  mark_all_known(): void {
    this._known.clear()
    for (const m of this.current().values()) this._known.add(m)
  }

  /** No peer has any model yet: the next patches send every model they mention in full. */
  forget_known(): void {
    this._known.clear()
  }

  /** A copy of the known set, for a connection that must later tell what changed since. */
  known_snapshot(): ReadonlySet<HasProps> {
    return new Set(this._known)
  }

  // -------------------------------------------------------------------------------------------
  // joining and leaving

  /** Makes `root` and every model it reaches part of the document. */
  attach(root: HasProps): void {
    const stack = [root]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (model.document === this._doc) continue
      if (model.document !== null) {
        // Python allows a model in one document only; a detached-but-stale owner is reclaimed.
        const other = model.document as Document
        if (other.model_manager.current().has(model.id)) {
          throw new DocumentError("BK_ERR_MODEL_IN_OTHER_DOCUMENT", `${model} already belongs to another document; models can't be shared between documents`)
        }
      }
      const clash = this._models.get(model.id)
      if (clash !== undefined && clash !== model) throw new DocumentError("BK_ERR_MODEL_IN_OTHER_DOCUMENT", `two different models share the id '${model.id}'`)
      this._join(model)
      model._visit_refs((m) => {
        if (m.document !== this._doc) stack.push(m)
      })
    }
  }

  /** A property of a document model changed from `old` to `value`: models in `value` join. */
  attach_value(value: unknown, old: unknown): void {
    visit_models(value, (m) => {
      if (m.document !== this._doc) this.attach(m)
    })
    // Only a replaced value that held models can have dropped the last reference to one.
    if (!this._stale) visit_models(old, () => (this._stale = true))
  }

  /** A root left: the next read recomputes what is still reachable. */
  invalidate(): void {
    this._stale = true
  }

  /** Walks from the roots; models no longer reachable leave the document. */
  recompute(): void {
    this._stale = false
    const reachable = new Map<string, HasProps>()
    const stack = [...this._doc.roots]
    while (stack.length > 0) {
      const model = stack.pop()!
      if (reachable.has(model.id)) continue
      reachable.set(model.id, model)
      model._visit_refs((m) => {
        if (!reachable.has(m.id)) stack.push(m)
      })
    }
    for (const [id, model] of this._models) {
      if (!reachable.has(id)) {
        if (model.document === this._doc) model.document = null
        // After detaching, as Python: the reverted values are no change the peers need to hear of.
        if (model._theme_state !== undefined) model.unapply_theme()
        this._models.delete(id)
        this._known.delete(model)
      }
    }
    for (const [id, model] of reachable) if (!this._models.has(id)) this._join(model)
  }

  /** Forgets every model (the session is gone). */
  destroy(): void {
    for (const model of this._models.values()) if (model.document === this._doc) model.document = null
    this._models.clear()
    this._known.clear()
    this._stale = false
  }

  /**
   * Gives a model joining the document the document's theme before it is attached: its themed values travel
   * with its first full serialization, not as change events (as Python's `_attach_document`). Free for
   * unthemed documents and models.
   */
  private _join(model: HasProps): void {
    const theme = this._doc.theme
    if (theme !== default_theme || model._theme_state !== undefined) theme.apply_to_model(model)
    model.document = this._doc
    this._models.set(model.id, model)
  }
}

function matches(model: HasProps, selector: Selector): boolean {
  if (selector.type !== undefined && !(model instanceof selector.type)) return false
  const props = model as unknown as { name?: unknown; tags?: unknown }
  if (selector.name !== undefined && props.name !== selector.name) return false
  if (selector.tags !== undefined) {
    const tags = Array.isArray(props.tags) ? props.tags : []
    if (!selector.tags.some((t) => tags.includes(t))) return false
  }
  return true
}
