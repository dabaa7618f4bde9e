/**
 * The one font every figure is drawn with. fonts-dejavu-core is installed on every Debian machine
 * (see ../../shared/STACK-NOTES.md); loading exactly this file, and no system fonts, makes PNG
 * bytes independent of whatever else is installed.
 */
export const FIGURE_FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
export const FIGURE_FONT_FAMILY = "DejaVu Sans";
