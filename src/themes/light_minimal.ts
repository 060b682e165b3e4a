/** Bokeh's built-in "light_minimal" theme (values as in Python Bokeh's bokeh.themes). */
import type { ThemeJson } from "./theme.ts"

export const json: ThemeJson = {
  attrs: {
    Axis: {
      major_tick_line_alpha: 0,
      major_tick_line_color: "#5B5B5B",
      minor_tick_line_alpha: 0,
      minor_tick_line_color: "#5B5B5B",
      axis_line_alpha: 0,
      axis_line_color: "#5B5B5B",
      major_label_text_color: "#5B5B5B",
      major_label_text_font: "Helvetica",
      major_label_text_font_size: "1.025em",
      axis_label_standoff: 10,
      axis_label_text_color: "#5B5B5B",
      axis_label_text_font: "Helvetica",
      axis_label_text_font_size: "1.25em",
      axis_label_text_font_style: "normal",
    },
    Legend: {
      spacing: 8,
      glyph_width: 15,
      label_standoff: 8,
      label_text_color: "#5B5B5B",
      label_text_font: "Helvetica",
      label_text_font_size: "1.025em",
      border_line_alpha: 0,
      background_fill_alpha: 0.25,
    },
    BaseColorBar: {
      title_text_color: "#5B5B5B",
      title_text_font: "Helvetica",
      title_text_font_size: "1.025em",
      title_text_font_style: "normal",
      major_label_text_color: "#5B5B5B",
      major_label_text_font: "Helvetica",
      major_label_text_font_size: "1.025em",
      major_tick_line_alpha: 0,
      bar_line_alpha: 0,
    },
    Title: {
      text_color: "#5B5B5B",
      text_font: "Helvetica",
      text_font_size: "1.15em",
    },
  },
}
