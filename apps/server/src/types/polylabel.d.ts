/** polylabel 2 (ESM, no types of its own): the point of a polygon farthest from its outline, and that distance. */
declare module 'polylabel' {
  export default function polylabel(polygon: number[][][], precision?: number, debug?: boolean): [number, number] & { distance: number };
}
