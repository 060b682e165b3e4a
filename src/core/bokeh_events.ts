/**
 * UI and document events (Python's `bokeh.events`): what BokehJS sends in `MessageSent` "bokeh_event"
 * patches and what `model.on_event(...)` / `doc.on_event(...)` callbacks receive.
 */
import type { HasProps } from "./has_props.ts"

export type EventValues = Record<string, unknown>

export class BokehEvent {
  static readonly event_name: string = ""
  /** The model the event happened on (absent for document events). */
  readonly model: HasProps | null
  /** Every value the browser sent, as given. */
  readonly values: EventValues

  constructor(values: EventValues = {}) {
    this.values = values
    this.model = (values["model"] as HasProps | undefined) ?? null
  }

  get event_name(): string {
    return (this.constructor as typeof BokehEvent).event_name
  }
}

export class DocumentEvent extends BokehEvent {}
export class ModelEvent extends BokehEvent {}

function define<T extends typeof BokehEvent>(cls: T, name: string): T {
  Object.defineProperty(cls, "event_name", { value: name })
  return cls
}

export class DocumentReady extends DocumentEvent {}
define(DocumentReady, "document_ready")
export class ClientReconnected extends DocumentEvent {}
define(ClientReconnected, "client_reconnected")
export class ConnectionLost extends DocumentEvent {}
define(ConnectionLost, "connection_lost")

export class ButtonClick extends ModelEvent {}
define(ButtonClick, "button_click")
export class MenuItemClick extends ModelEvent {
  get item(): string | null {
    return (this.values["item"] as string | undefined) ?? null
  }
}
define(MenuItemClick, "menu_item_click")
export class ValueSubmit extends ModelEvent {
  get value(): string {
    return this.values["value"] as string
  }
}
define(ValueSubmit, "value_submit")
export class LegendItemClick extends ModelEvent {
  get item(): HasProps {
    return this.values["item"] as HasProps
  }
}
define(LegendItemClick, "legend_item_click")
export class AxisClick extends ModelEvent {
  get value(): unknown {
    return this.values["value"]
  }
}
define(AxisClick, "axis_click")
export class FileInputChange extends ModelEvent {}
define(FileInputChange, "file_input_change")
export class ClearInput extends ModelEvent {}
define(ClearInput, "clear_input")

export class PlotEvent extends ModelEvent {}
export class LODStart extends PlotEvent {}
define(LODStart, "lodstart")
export class LODEnd extends PlotEvent {}
define(LODEnd, "lodend")
export class Reset extends PlotEvent {}
define(Reset, "reset")
export class RangesUpdate extends PlotEvent {
  get x0(): number {
    return this.values["x0"] as number
  }
  get x1(): number {
    return this.values["x1"] as number
  }
  get y0(): number {
    return this.values["y0"] as number
  }
  get y1(): number {
    return this.values["y1"] as number
  }
}
define(RangesUpdate, "rangesupdate")
export class SelectionGeometry extends PlotEvent {
  get geometry(): unknown {
    return this.values["geometry"]
  }
  get final(): boolean {
    return this.values["final"] as boolean
  }
}
define(SelectionGeometry, "selectiongeometry")

/** Events at a point of a plot: screen (sx, sy) and data (x, y) coordinates. */
export class PointEvent extends PlotEvent {
  get sx(): number {
    return this.values["sx"] as number
  }
  get sy(): number {
    return this.values["sy"] as number
  }
  get x(): number {
    return this.values["x"] as number
  }
  get y(): number {
    return this.values["y"] as number
  }
  get modifiers(): { shift: boolean; ctrl: boolean; alt: boolean } | undefined {
    return this.values["modifiers"] as never
  }
}
const point_events: Array<[string, string]> = [
  ["Tap", "tap"],
  ["DoubleTap", "doubletap"],
  ["Press", "press"],
  ["PressUp", "pressup"],
  ["PanStart", "panstart"],
  ["Pan", "pan"],
  ["PanEnd", "panend"],
  ["PinchStart", "pinchstart"],
  ["Pinch", "pinch"],
  ["PinchEnd", "pinchend"],
  ["RotateStart", "rotatestart"],
  ["Rotate", "rotate"],
  ["RotateEnd", "rotateend"],
  ["MouseMove", "mousemove"],
  ["MouseEnter", "mouseenter"],
  ["MouseLeave", "mouseleave"],
  ["MouseWheel", "wheel"],
]
export class Tap extends PointEvent {}
export class DoubleTap extends PointEvent {}
export class Press extends PointEvent {}
export class PressUp extends PointEvent {}
export class PanStart extends PointEvent {}
export class Pan extends PointEvent {
  get delta_x(): number {
    return this.values["delta_x"] as number
  }
  get delta_y(): number {
    return this.values["delta_y"] as number
  }
}
export class PanEnd extends PointEvent {}
export class PinchStart extends PointEvent {}
export class Pinch extends PointEvent {
  get scale(): number {
    return this.values["scale"] as number
  }
}
export class PinchEnd extends PointEvent {}
export class RotateStart extends PointEvent {}
export class Rotate extends PointEvent {
  get rotation(): number {
    return this.values["rotation"] as number
  }
}
export class RotateEnd extends PointEvent {}
export class MouseMove extends PointEvent {}
export class MouseEnter extends PointEvent {}
export class MouseLeave extends PointEvent {}
export class MouseWheel extends PointEvent {
  get delta(): number {
    return this.values["delta"] as number
  }
}
const point_classes: Record<string, typeof BokehEvent> = {
  Tap,
  DoubleTap,
  Press,
  PressUp,
  PanStart,
  Pan,
  PanEnd,
  PinchStart,
  Pinch,
  PinchEnd,
  RotateStart,
  Rotate,
  RotateEnd,
  MouseMove,
  MouseEnter,
  MouseLeave,
  MouseWheel,
}
for (const [cls, name] of point_events) define(point_classes[cls]!, name)

const all_events: Array<typeof BokehEvent> = [
  DocumentReady,
  ClientReconnected,
  ConnectionLost,
  ButtonClick,
  MenuItemClick,
  ValueSubmit,
  LegendItemClick,
  AxisClick,
  FileInputChange,
  ClearInput,
  LODStart,
  LODEnd,
  Reset,
  RangesUpdate,
  SelectionGeometry,
  ...Object.values(point_classes),
]

/** Event classes by wire name ("button_click" → ButtonClick). */
export const event_classes: ReadonlyMap<string, typeof BokehEvent> = new Map(all_events.map((cls) => [cls.event_name, cls]))

/** The wire name for an event given by name or class; throws for unknown names. */
export function event_name_of(event: string | typeof BokehEvent): string {
  return typeof event === "string" ? event : event.event_name
}

export function is_document_event(name: string): boolean {
  const cls = event_classes.get(name)
  return cls !== undefined && cls.prototype instanceof DocumentEvent
}
