/**
 * Python's bokeh.layouts: `row`, `column`, `gridplot` (one merged toolbar for all plots) and `layout`
 * (nested lists → rows and columns). Children are given as arguments or as one list; a plain object
 * last holds options (any property of the layout model, e.g. `sizing_mode`, `width`).
 */
import { PlottingError } from "./core/errors.ts"
import type { ModelArgs } from "./core/has_props.ts"
import { is_equal } from "./core/util/eq.ts"
import { is_plain_object } from "./core/util/types.ts"
import {
  Column,
  CopyTool,
  ExamineTool,
  FullscreenTool,
  GridPlot,
  LayoutDOM,
  Plot,
  Row,
  SaveTool,
  Tool,
  ToolProxy,
  Toolbar,
  UIElement,
  type ColumnAttrs,
  type RowAttrs,
  type Toolbar as ToolbarModel,
} from "./models/main.ts"

type SizingMode = LayoutDOM["sizing_mode"]
export type RowArgs = Omit<ModelArgs<RowAttrs, never>, "children">
export type ColumnArgs = Omit<ModelArgs<ColumnAttrs, never>, "children">

/** Children as separate arguments or one list, optionally followed by an options object. */
export type ChildrenArgs<O> = [children: readonly UIElement[], options?: O] | [...children: UIElement[]] | [...children: UIElement[], options: O]

function parse_children<O extends object>(fn: string, args: readonly unknown[]): { children: UIElement[]; options: Partial<O> } {
  let list = [...args]
  let options: Partial<O> = {}
  const last = list[list.length - 1]
  if (is_plain_object(last)) {
    options = { ...last } as Partial<O>
    list = list.slice(0, -1)
  }
  const from_options = (options as { children?: unknown }).children
  delete (options as { children?: unknown }).children
  if (from_options !== undefined) {
    if (list.length > 0) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `${fn}(): give children either as arguments or as the children option, not both`)
    list = [...(from_options as unknown[])]
  }
  const children = list.length === 1 && Array.isArray(list[0]) ? [...(list[0] as unknown[])] : list
  for (const child of children) {
    if (!(child instanceof UIElement))
      throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `${fn}(): children must be layout models (plots, widgets, layouts), got ${String(child)}`)
  }
  return { children: children as UIElement[], options }
}

/** A LayoutDOM that sizes itself automatically (Python's `_has_auto_sizing`). */
function has_auto_sizing(item: LayoutDOM): boolean {
  return item.sizing_mode === null && item.width_policy === "auto" && item.height_policy === "auto"
}

/** Passes the layout's sizing_mode down to children that size automatically. */
function handle_child_sizing(children: readonly UIElement[], sizing_mode: SizingMode | undefined): void {
  if (sizing_mode == null) return
  for (const child of children) {
    if (child instanceof LayoutDOM && has_auto_sizing(child)) child.sizing_mode = sizing_mode
  }
}

/** Lays out children side by side: `row(plot1, plot2, {sizing_mode: "stretch_width"})`. */
export function row(...args: ChildrenArgs<RowArgs>): Row {
  const { children, options } = parse_children<RowArgs>("row", args)
  handle_child_sizing(children, options.sizing_mode)
  return new Row({ ...options, children } as ModelArgs<RowAttrs, never>)
}

/** Lays out children top to bottom: `column(slider, plot)`. */
export function column(...args: ChildrenArgs<ColumnArgs>): Column {
  const { children, options } = parse_children<ColumnArgs>("column", args)
  handle_child_sizing(children, options.sizing_mode)
  return new Column({ ...options, children } as ModelArgs<ColumnAttrs, never>)
}

/** A nested list of layout models (or nested lists) for `layout()`. */
export type LayoutItems = ReadonlyArray<UIElement | LayoutItems>

function create_grid(items: LayoutItems, sizing_mode: SizingMode | undefined, layer: number, options: Record<string, unknown>): Row | Column {
  const children = items.map((item) => {
    if (Array.isArray(item)) return create_grid(item, sizing_mode, layer + 1, {})
    if (!(item instanceof UIElement))
      throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `layout(): items must be layout models or lists of them, got ${String(item)}`)
    if (sizing_mode != null && item instanceof LayoutDOM && has_auto_sizing(item)) item.sizing_mode = sizing_mode
    return item
  })
  const attrs = { ...options, children, ...(sizing_mode !== undefined ? { sizing_mode } : {}) }
  // Even levels are columns (of rows), odd levels rows (of columns), as Python's layout().
  return layer % 2 === 0 ? column(attrs as ColumnArgs & { children: UIElement[] }) : row(attrs as RowArgs & { children: UIElement[] })
}

/** Rows and columns from nested lists: `layout([[p1, p2], [p3]])` is a column of two rows. */
export function layout(children: LayoutItems, options: ColumnArgs = {}): Row | Column {
  const { sizing_mode, ...rest } = options
  return create_grid(children, sizing_mode, 0, rest)
}

export interface GridplotOptions {
  /** Number of columns when `children` is a flat list. */
  ncols?: number
  sizing_mode?: SizingMode
  /** Where the merged toolbar goes (default "above"), or null for none. */
  toolbar_location?: "above" | "below" | "left" | "right" | null
  /** A width or height for every child. */
  width?: number
  height?: number
  /** Toolbar properties (`logo`, `autohide`, `active_drag`, …) that override what the plots' toolbars say. */
  toolbar_options?: Partial<Record<"logo" | "autohide" | "active_drag" | "active_inspect" | "active_scroll" | "active_tap" | "active_multi", unknown>>
  /** Merge the plots' toolbars into one (default true). */
  merge_tools?: boolean
}

/**
 * Python's `group_tools`: tools of one class with equal settings become one ToolProxy; `merge` may
 * replace a whole class's tools by one tool (e.g. one SaveTool for all plots).
 */
export function group_tools(
  tools: readonly (Tool | ToolProxy)[],
  merge?: (cls: Function, group: Tool[]) => Tool | null,
  ignore: ReadonlySet<string> = new Set(["overlay", "renderers"]),
): (Tool | ToolProxy)[] {
  const computed: (Tool | ToolProxy)[] = []
  const by_type = new Map<Function, Array<{ tool: Tool; props: Record<string, unknown> }>>()
  for (const tool of tools) {
    if (tool instanceof ToolProxy) {
      computed.push(tool)
      continue
    }
    const props = tool.properties_with_values()
    for (const attr of ignore) delete props[attr]
    const entries = by_type.get(tool.constructor) ?? []
    entries.push({ tool, props })
    by_type.set(tool.constructor, entries)
  }
  for (const [cls, entries] of by_type) {
    if (merge !== undefined) {
      const merged = merge(
        cls,
        entries.map((e) => e.tool),
      )
      if (merged !== null) {
        computed.push(merged)
        continue
      }
    }
    let rest = entries
    while (rest.length > 0) {
      const [head, ...tail] = rest as [(typeof rest)[number], ...typeof rest]
      const group = [head, ...tail.filter((e) => is_equal(e.props, head.props))]
      rest = tail.filter((e) => !group.includes(e))
      computed.push(group.length === 1 ? head.tool : tool_proxy(group.map((e) => e.tool)))
    }
  }
  return computed
}

/**
 * A ToolProxy for `tools`. Its visible/active defaults are computed from the tools in BokehJS, which
 * the generated model cannot express (it marks them required), so they are given here.
 */
function tool_proxy(tools: Tool[]): ToolProxy {
  const some = (name: string): boolean => tools.some((t) => (t as unknown as Record<string, unknown>)[name] === true)
  return new ToolProxy({ tools, visible: some("visible"), active: some("active") })
}

function merge_singletons(_cls: Function, group: Tool[]): Tool | null {
  const tool = group[0]
  for (const cls of [SaveTool, CopyTool, ExamineTool, FullscreenTool]) {
    if (tool instanceof cls) return new cls()
  }
  return null
}

/**
 * A grid of plots with one toolbar: `gridplot([[p1, p2], [null, p3]])` or
 * `gridplot([p1, p2, p3], {ncols: 2})`. Tools of the same kind and settings are merged into one.
 */
export function gridplot(children: ReadonlyArray<UIElement | null> | ReadonlyArray<ReadonlyArray<UIElement | null>>, options: GridplotOptions = {}): GridPlot {
  const { ncols, sizing_mode, toolbar_location = "above", width, height, toolbar_options = {}, merge_tools = true } = options
  let rows: ReadonlyArray<ReadonlyArray<UIElement | null>>
  if (ncols !== undefined) {
    if (children.some(Array.isArray)) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "gridplot(): cannot give a nested list together with ncols")
    const flat = children as ReadonlyArray<UIElement | null>
    rows = Array.from({ length: Math.ceil(flat.length / ncols) }, (_, i) => flat.slice(i * ncols, (i + 1) * ncols))
  } else {
    if (!children.every(Array.isArray))
      throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", "gridplot(): give a list of rows (lists), or a flat list with ncols")
    rows = children as ReadonlyArray<ReadonlyArray<UIElement | null>>
  }

  const toolbars: ToolbarModel[] = []
  const items: [UIElement, number, number][] = []
  rows.forEach((cells, y) =>
    cells.forEach((item, x) => {
      if (item == null) return
      if (!(item instanceof LayoutDOM))
        throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `gridplot(): only layout models can be put in a grid, got ${String(item)}`)
      if (merge_tools) {
        for (const plot of item.references()) {
          if (plot instanceof Plot) {
            toolbars.push(plot.toolbar)
            plot.toolbar_location = null
          }
        }
      }
      if (width !== undefined) item.width = width
      if (height !== undefined) item.height = height
      if (sizing_mode != null && has_auto_sizing(item)) item.sizing_mode = sizing_mode
      items.push([item, y, x])
    }),
  )

  const all_tools = toolbars.flatMap((tb) => tb.tools)
  const tools = merge_tools ? group_tools(all_tools, merge_singletons) : all_tools
  const toolbar_attrs: Record<string, unknown> = { tools }
  for (const name of ["logo", "autohide", "active_drag", "active_inspect", "active_scroll", "active_tap", "active_multi"] as const) {
    if (name in toolbar_options) {
      toolbar_attrs[name] = toolbar_options[name]
      continue
    }
    const values = toolbars.map((tb) => tb[name] as unknown)
    if (values.length === 0) continue
    if (new Set(values).size > 1) console.warn(`found multiple competing values for 'toolbar.${name}' property; using the latest value`)
    toolbar_attrs[name] = values[values.length - 1]
  }
  return new GridPlot({
    children: items,
    toolbar: new Toolbar(toolbar_attrs as never),
    toolbar_location,
    ...(sizing_mode !== undefined ? { sizing_mode } : {}),
  })
}
