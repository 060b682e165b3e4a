/** The model catalogue with its hand-written additions (import models from here, not from index.ts). */
export * from "./index.ts"
import "./ext/model.ts"
import "./ext/column_data_source.ts"
import "./ext/buttons.ts"
import "./ext/plot_title.ts"
import "./ext/plot.ts"
