/** `ColumnDataSource.stream` and `.patch`, as in Python Bokeh (ColumnsStreamed / ColumnsPatched events). */
import { apply_patches, apply_stream, check_patches, check_stream, type ColumnData, type Patches } from "../../core/util/column_data.ts"
import type { NDArray } from "../../core/util/ndarray.ts"
import { ColumnDataSource } from "../sources/column_data_source.ts"

declare module "../sources/column_data_source.ts" {
  interface ColumnDataSource {
    /**
     * Appends rows (`{column: values}` for every column) and, with `rollover`, keeps only the last
     * `rollover` rows. Browsers receive just the new rows.
     */
    stream(new_data: Record<string, ArrayLike<unknown> | NDArray>, rollover?: number | null): void
    /**
     * Changes cells in place: `{column: [[index, value], …]}` where index is a row, a `slice(...)`, or
     * `[row, i, j]` for 2-d image cells. Browsers receive just the patches.
     */
    patch(patches: Patches): void
  }
}

ColumnDataSource.prototype.stream = function (this: ColumnDataSource, new_data: Record<string, ArrayLike<unknown> | NDArray>, rollover: number | null = null): void {
  const doc = this.document
  if (doc !== null) return doc.callback_manager.stream(this, "data", new_data, rollover, null)
  const data = this.data as ColumnData
  check_stream(data, new_data, rollover)
  apply_stream(data, new_data, rollover)
}

ColumnDataSource.prototype.patch = function (this: ColumnDataSource, patches: Patches): void {
  const doc = this.document
  if (doc !== null) return doc.callback_manager.patch(this, "data", patches, null)
  const data = this.data as ColumnData
  check_patches(data, patches)
  apply_patches(data, patches)
}
