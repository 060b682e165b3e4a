/**
 * Properties where Python Bokeh 3.9 types a value more precisely than BokehJS 3.10's kind: the model
 * generator (scripts/gen-models.ts) takes Python's type for these, for the TypeScript type and for the
 * runtime kind that checks what apps set and what peers send. The one place these overrides live.
 *
 * The rule (docs/architecture.md, "Python-precise properties"): a property is listed when BokehJS
 * declares it loosely (`Unknown`, `Any`, a catch-all `Or`) and Python's type says what the value really
 * is. Each override must still accept everything stock BokehJS 3.10 and Python Bokeh 3.9 send for it on
 * the wire (checked below entry by entry), so narrowing never breaks a browser or a Python peer. Where
 * Python accepts more than the override (a `datetime`, an ISO string for a `Datetime`), the runtime kind
 * accepts it too and normalizes it to the form Python sends (milliseconds), while the TypeScript type
 * names only that form.
 *
 * Keys are `Model.property` with BokehJS's wire name of the class Python declares it on; the override
 * applies to that class and its subclasses. `python` is Python's type as `str(property)` prints it
 * (test/interop/python_precise.test.ts checks it against the installed Python Bokeh), `kind` builds the
 * kind from BokehJS's kind constructors plus the Python-only kinds below.
 *
 * Looked at and deliberately not overridden:
 * - `Select.value`: Python 3.9 types it `AnyRef` (options may be `(value, label)` pairs of any value).
 * - `GroupFilter.group`, `SetValue.value`, `CustomJS.args` and friends: `AnyRef` in Python too.
 * - `Model.js_property_callbacks` / `js_event_callbacks`: Python says `List(Instance(Callback))`, but the
 *   hand-written `js_on_change`/`js_on_event` API takes any model today; left for a separate change.
 * - `BaseDatePicker.disabled_dates` / `enabled_dates`: BokehJS also takes `{from, to}` structs that
 *   Python refuses; the difference is in structure, not looseness, and browsers never send them.
 * - `TimePicker.value`: BokehJS sends "HH:MM:SS" strings, Python sends milliseconds since midnight and
 *   refuses numbers on receipt; BokehJS's `Or(Str, Float)` is what the wire really carries.
 * - Float where Python says Int (dash offsets, tick lengths, …): the TypeScript type is `number` either
 *   way; not a looseness apps trip over.
 */

/** BokehJS's kind constructors (core/kinds), as the generator loads them. */
type Kinds = any

/** Python's `Date`: an ISO date string (what Python stores and sends; BokehJS's DatePicker sends "YYYY-MM-DD"). */
export class PythonDate {}
/** Python's `Datetime`: milliseconds since the epoch on the wire; ISO strings and JS Dates are normalized to that. */
export class PythonDatetime {}
/** A reference to a model by wire name (BokehJS's `Ref` needs the class; the generator resolves the name). */
export class ModelRefByName {
  constructor(readonly model: string) {}
}

export interface PreciseKinds {
  readonly K: Kinds
  readonly Date: PythonDate
  readonly Datetime: PythonDatetime
  readonly Ref: (model: string) => ModelRefByName
  /** Python's `Factor`: a string or a 2- or 3-level tuple of strings. */
  readonly Factor: unknown
}

export interface PreciseOverride {
  /** Python Bokeh 3.9's type, as `str(Model.lookup(prop).property)` prints it. */
  readonly python: string
  /** The kind to use, from BokehJS's kinds and the Python-only ones. */
  readonly kind: (p: PreciseKinds) => unknown
  /** Why it is safe and what the wire carries. */
  readonly why: string
}

const slider = (python: string, kind: PreciseOverride["kind"], why: string): Record<"value" | "value_throttled", PreciseOverride> => ({
  value: { python: `Required(${python})`, kind, why },
  value_throttled: { python: `Readonly(Required(${python}))`, kind, why: `${why} (the throttled copy the browser sets on mouseup)` },
})

function entries(model: string, props: Record<string, PreciseOverride>): Array<[string, PreciseOverride]> {
  return Object.entries(props).map(([prop, o]) => [`${model}.${prop}`, o])
}

export const PYTHON_PRECISE: ReadonlyMap<string, PreciseOverride> = new Map<string, PreciseOverride>([
  // Sliders: BokehJS declares `value: Unknown` once on AbstractSlider; Python types it per slider.
  ...entries(
    "Slider",
    slider("Float", ({ K }) => K.Float, "BokehJS's slider sends a number (rounded when start, end and step are integers); Python refuses anything else"),
  ),
  ...entries(
    "RangeSlider",
    slider("Tuple(Float, Float)", ({ K }) => K.Tuple(K.Float, K.Float), "BokehJS sends [low, high] numbers"),
  ),
  ...entries(
    "CategoricalSlider",
    slider("String", ({ K }) => K.Str, "BokehJS sends the chosen category, one of `categories`"),
  ),
  ...entries(
    "DateSlider",
    slider("Datetime", ({ Datetime }) => Datetime, "BokehJS sends milliseconds since the epoch, as Python does for the datetimes it accepts"),
  ),
  ...entries(
    "DateRangeSlider",
    slider("Tuple(Datetime, Datetime)", ({ K, Datetime }) => K.Tuple(Datetime, Datetime), "BokehJS sends [start, end] in milliseconds since the epoch"),
  ),
  ...entries(
    "DatetimeRangeSlider",
    slider("Tuple(Datetime, Datetime)", ({ K, Datetime }) => K.Tuple(Datetime, Datetime), "BokehJS sends [start, end] in milliseconds since the epoch"),
  ),
  ...["DateSlider", "DateRangeSlider", "DatetimeRangeSlider"].flatMap((model) =>
    entries(model, {
      step: { python: "Int", kind: ({ K }) => K.Int, why: "a whole number of units (days, or ms for DatetimeRangeSlider); browsers never set it" },
    }),
  ),

  // Date pickers: BokehJS takes any `Or(Ref(Date), Str, Float)`; Python says what each one holds.
  [
    "DatePicker.value",
    {
      python: "Nullable(Date)",
      kind: ({ K, Date }) => K.Nullable(Date),
      why: 'BokehJS\'s DatePicker sends "YYYY-MM-DD" strings (flatpickr\'s dateFormat "Y-m-d"); Python stores ISO date strings',
    },
  ],
  [
    "DateRangePicker.value",
    {
      python: "Nullable(Tuple(Date, Date))",
      kind: ({ K, Date }) => K.Nullable(K.Tuple(Date, Date)),
      why: 'BokehJS sends [from, to] as "YYYY-MM-DD" strings, or null',
    },
  ],
  ["MultipleDatePicker.value", { python: "List(Date)", kind: ({ K, Date }) => K.List(Date), why: 'BokehJS sends a list of "YYYY-MM-DD" strings' }],
  [
    "DatetimePicker.value",
    {
      python: "Nullable(Datetime)",
      kind: ({ K, Datetime }) => K.Nullable(Datetime),
      why: 'BokehJS sends "YYYY-MM-DDTHH:MM:SS" strings, Python milliseconds; both become milliseconds, as in Python',
    },
  ],
  [
    "DatetimeRangePicker.value",
    {
      python: "Nullable(Tuple(Datetime, Datetime))",
      kind: ({ K, Datetime }) => K.Nullable(K.Tuple(Datetime, Datetime)),
      why: "BokehJS sends [from, to] as ISO datetime strings, Python as milliseconds; both become milliseconds",
    },
  ],
  [
    "MultipleDatetimePicker.value",
    {
      python: "List(Datetime)",
      kind: ({ K, Datetime }) => K.List(Datetime),
      why: "BokehJS sends ISO datetime strings, Python milliseconds; both become milliseconds",
    },
  ],
  ...["DatePicker", "DateRangePicker", "MultipleDatePicker"].flatMap((model) =>
    entries(model, {
      min_date: { python: "Nullable(Date)", kind: ({ K, Date }) => K.Nullable(Date), why: "an ISO date string as Python stores it; browsers never set it" },
      max_date: { python: "Nullable(Date)", kind: ({ K, Date }) => K.Nullable(Date), why: "an ISO date string as Python stores it; browsers never set it" },
    }),
  ),
  ...["DatetimePicker", "DatetimeRangePicker", "MultipleDatetimePicker"].flatMap((model) =>
    entries(model, {
      min_date: {
        python: "Nullable(Either(Datetime, Date))",
        kind: ({ K, Datetime }) => K.Nullable(Datetime),
        why: "Python's Datetime comes first in the Either and takes date strings too, so values become milliseconds; browsers never set it",
      },
      max_date: {
        python: "Nullable(Either(Datetime, Date))",
        kind: ({ K, Datetime }) => K.Nullable(Datetime),
        why: "Python's Datetime comes first in the Either and takes date strings too, so values become milliseconds; browsers never set it",
      },
    }),
  ),

  // Callbacks BokehJS types `Any` (a JS function is allowed there in a browser, never on the wire).
  [
    "HoverTool.callback",
    {
      python: "Nullable(Instance(Callback))",
      kind: ({ K, Ref }) => K.Nullable(Ref("Callback")),
      why: "only callback models (CustomJS, OpenURL, …) travel; BokehJS never sets it",
    },
  ],
  [
    "TapTool.callback",
    {
      python: "Nullable(Instance(Callback))",
      kind: ({ K, Ref }) => K.Nullable(Ref("Callback")),
      why: "only callback models (CustomJS, OpenURL, …) travel; BokehJS never sets it",
    },
  ],
  [
    "WebDataSource.adapter",
    {
      python: "Nullable(Instance(CustomJS))",
      kind: ({ K, Ref }) => K.Nullable(Ref("CustomJS")),
      why: "a CustomJS that reshapes fetched data; BokehJS never sets it",
    },
  ],

  // Other `Unknown`/`Any` members.
  [
    "EditTool.empty_value",
    {
      python: "Either(Bool, Int, Float, Date, Datetime, Color, String)",
      kind: ({ K }) => K.Or(K.Bool, K.Float, K.Str, K.Color),
      why: "a scalar filled into new rows' other columns (dates travel as strings, datetimes as numbers); BokehJS never sets it",
    },
  ],
  [
    "Axis.fixed_location",
    {
      python: "Either(Null, Float, Factor(Either(String, Tuple(String, String), Tuple(String, String, String))))",
      kind: ({ K, Factor }) => K.Nullable(K.Or(K.Float, Factor)),
      why: "a coordinate: a number or a factor; BokehJS never sets it",
    },
  ],
])
