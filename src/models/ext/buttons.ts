/** `on_click` for buttons, dropdowns and toggles, as in Python Bokeh. */
import { ButtonClick, MenuItemClick } from "../../core/bokeh_events.ts"
import { Button } from "../widgets/button.ts"
import { Dropdown } from "../widgets/dropdown.ts"
import { Toggle } from "../widgets/toggle.ts"

declare module "../widgets/button.ts" {
  interface Button {
    /** Runs `handler(event)` on the server when the button is clicked. */
    on_click(handler: (event: ButtonClick) => unknown): void
  }
}
declare module "../widgets/dropdown.ts" {
  interface Dropdown {
    /** Runs `handler(event)` when the button or a menu item (`event.item`) is clicked. */
    on_click(handler: (event: ButtonClick | MenuItemClick) => unknown): void
  }
}
declare module "../widgets/toggle.ts" {
  interface Toggle {
    /** Runs `handler(active)` when the toggle changes state. */
    on_click(handler: (active: boolean) => unknown): void
  }
}

Button.prototype.on_click = function (this: Button, handler: (event: ButtonClick) => unknown): void {
  this.on_event(ButtonClick, handler)
}

Dropdown.prototype.on_click = function (this: Dropdown, handler: (event: ButtonClick | MenuItemClick) => unknown): void {
  this.on_event(ButtonClick, handler)
  this.on_event(MenuItemClick, handler)
}

Toggle.prototype.on_click = function (this: Toggle, handler: (active: boolean) => unknown): void {
  this.on_change("active", (_attr, _old, active) => handler(active as boolean))
}
