/**
 * Tools for `figure()`: tool names ("pan", "xwheel_zoom", …) → tool models, the `tools` and `tooltips`
 * options, and the `active_*` options that pick a toolbar's active tools.
 */
import { PlottingError } from "../core/errors.ts"
import type { HasProps } from "../core/has_props.ts"
import { resolve_model_class } from "../core/registry.ts"
import { HoverTool, Tool, ToolProxy, type Toolbar } from "../models/main.ts"

/** The tool names BokehJS 3.10 and Python Bokeh accept, with the model and settings each stands for. */
const ALIASES: Readonly<Record<string, readonly [type: string, attrs: Record<string, unknown>]>> = {
  pan: ["PanTool", { dimensions: "both" }],
  xpan: ["PanTool", { dimensions: "width" }],
  ypan: ["PanTool", { dimensions: "height" }],
  pan_left: ["ClickPanTool", { direction: "left" }],
  pan_right: ["ClickPanTool", { direction: "right" }],
  pan_up: ["ClickPanTool", { direction: "up" }],
  pan_down: ["ClickPanTool", { direction: "down" }],
  pan_west: ["ClickPanTool", { direction: "west" }],
  pan_east: ["ClickPanTool", { direction: "east" }],
  pan_north: ["ClickPanTool", { direction: "north" }],
  pan_south: ["ClickPanTool", { direction: "south" }],
  xwheel_pan: ["WheelPanTool", { dimension: "width" }],
  ywheel_pan: ["WheelPanTool", { dimension: "height" }],
  wheel_zoom: ["WheelZoomTool", { dimensions: "both" }],
  xwheel_zoom: ["WheelZoomTool", { dimensions: "width" }],
  ywheel_zoom: ["WheelZoomTool", { dimensions: "height" }],
  zoom_in: ["ZoomInTool", { dimensions: "both" }],
  xzoom_in: ["ZoomInTool", { dimensions: "width" }],
  yzoom_in: ["ZoomInTool", { dimensions: "height" }],
  zoom_out: ["ZoomOutTool", { dimensions: "both" }],
  xzoom_out: ["ZoomOutTool", { dimensions: "width" }],
  yzoom_out: ["ZoomOutTool", { dimensions: "height" }],
  box_zoom: ["BoxZoomTool", { dimensions: "both" }],
  xbox_zoom: ["BoxZoomTool", { dimensions: "width" }],
  ybox_zoom: ["BoxZoomTool", { dimensions: "height" }],
  auto_box_zoom: ["BoxZoomTool", { dimensions: "auto" }],
  box_select: ["BoxSelectTool", {}],
  xbox_select: ["BoxSelectTool", { dimensions: "width" }],
  ybox_select: ["BoxSelectTool", { dimensions: "height" }],
  poly_select: ["PolySelectTool", {}],
  lasso_select: ["LassoSelectTool", {}],
  freehand_draw: ["FreehandDrawTool", {}],
  click: ["TapTool", { behavior: "inspect" }],
  tap: ["TapTool", {}],
  doubletap: ["TapTool", { gesture: "doubletap" }],
  crosshair: ["CrosshairTool", {}],
  xcrosshair: ["CrosshairTool", { dimensions: "width" }],
  ycrosshair: ["CrosshairTool", { dimensions: "height" }],
  hover: ["HoverTool", {}],
  save: ["SaveTool", {}],
  copy: ["CopyTool", {}],
  undo: ["UndoTool", {}],
  redo: ["RedoTool", {}],
  reset: ["ResetTool", {}],
  help: ["HelpTool", {}],
  examine: ["ExamineTool", {}],
  fullscreen: ["FullscreenTool", {}],
}

/** Python Bokeh's default for `figure(tools=...)` (BokehJS's own default uses "auto_box_zoom"). */
export const DEFAULT_TOOLS = "pan,wheel_zoom,box_zoom,save,reset,help"

/** Every tool name `tool_from_string` knows. */
export function tool_names(): string[] {
  return Object.keys(ALIASES)
}

/** A new tool for a name such as "pan" or "ybox_zoom" (Python's `Tool.from_string`). */
export function tool_from_string(name: string): Tool {
  const alias = ALIASES[name]
  if (alias === undefined) throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `unexpected tool name '${name}', possible tools are ${tool_names().join(", ")}`)
  const [type, attrs] = alias
  const cls = resolve_model_class(type) as unknown as new (attrs: Record<string, unknown>) => Tool
  return new cls({ ...attrs })
}

export type ToolLike = string | Tool | ToolProxy
export type Tooltips = string | [string, string][] | HasProps

/**
 * Tools for the `tools` option ("pan,box_zoom", or a list of names and tool models), plus a hover tool
 * carrying `tooltips` if given. Also returns the name → tool map the `active_*` options resolve against.
 */
export function process_tools_arg(
  tools: string | readonly ToolLike[],
  tooltips?: Tooltips | null,
): { tools: (Tool | ToolProxy)[]; tool_map: Map<string, Tool> } {
  const items = typeof tools === "string" ? tools.split(",") : tools
  const result: (Tool | ToolProxy)[] = []
  const tool_map = new Map<string, Tool>()
  for (const item of items) {
    if (typeof item === "string") {
      const name = item.trim()
      if (name === "") continue
      const tool = tool_from_string(name)
      result.push(tool)
      tool_map.set(name, tool)
    } else if (item instanceof Tool || item instanceof ToolProxy) {
      result.push(item)
    } else {
      throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `a tool should be a tool name or a Tool model, got ${String(item)}`)
    }
  }
  if (tooltips != null) {
    const hover = result.find((t): t is HoverTool => t instanceof HoverTool)
    if (hover !== undefined) hover.tooltips = tooltips as HoverTool["tooltips"]
    else result.push(new HoverTool({ tooltips: tooltips as HoverTool["tooltips"] }))
  }
  return { tools: result, tool_map }
}

export type ActiveTool = string | Tool | ToolProxy | readonly Tool[] | "auto" | null

/** The `active_*` options of `figure()`. */
export interface ActiveTools {
  active_drag?: ActiveTool
  active_inspect?: ActiveTool
  active_scroll?: ActiveTool
  active_tap?: ActiveTool
  active_multi?: ActiveTool
}

/** Sets the toolbar's active tools from names given in `tools`, tool models, "auto" or null. */
export function process_active_tools(toolbar: Toolbar, tool_map: ReadonlyMap<string, Tool>, active: ActiveTools): void {
  for (const key of ["active_drag", "active_inspect", "active_scroll", "active_tap", "active_multi"] as const) {
    const value = active[key]
    if (value === undefined || value === "auto") continue
    if (typeof value === "string") {
      const tool = tool_map.get(value)
      if (tool === undefined)
        throw new PlottingError("BK_ERR_PLOTTING_ARGUMENT", `got unknown '${value}' for '${key}', which was not a string supplied in 'tools' argument`)
      toolbar._set(key, tool)
    } else {
      toolbar._set(key, value)
    }
  }
}
