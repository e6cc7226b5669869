export function plot(points) {
  return points.map((p) => [p.x, p.y]);
}
