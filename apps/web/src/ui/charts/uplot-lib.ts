/** uPlot and its style sheet, in a chunk of their own that the first chart loads (UPlotChart). */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
