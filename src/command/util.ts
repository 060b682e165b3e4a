/** Helpers for subcommands under Python's names (bokeh.command.util): apps from paths. */
export { build_single_handler_application, build_single_handler_applications, check_applications } from "../application/from_path.ts"
