/**
 * The world map's shapes: world-atlas's 1:110m countries (TopoJSON, in the bundle) as GeoJSON
 * through topojson-client, made fit for a flat map. ECharts draws rings on the plane, so a ring
 * that crosses the antimeridian (Russia's Chukotka, Fiji) would be drawn as a band across the
 * world: its western longitudes are moved east by 360° instead. Antarctica, a ring around the
 * pole, is left out: no office is there and it would only fill the bottom of the map.
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

export function mendRing(ring: Position[]): Position[] {
  const crosses = ring.some((point, i) => i > 0 && Math.abs((point[0] ?? 0) - (ring[i - 1]?.[0] ?? 0)) > 180);
  return crosses ? ring.map(([lon = 0, lat = 0]) => [lon < 0 ? lon + 360 : lon, lat]) : ring;
}

function mendGeometry(geometry: Geometry): Geometry {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(mendRing) };
  if (geometry.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(mendRing)) };
  return geometry;
}

export function worldGeoJson(topology: Topology<{ countries: GeometryCollection }>): FeatureCollection {
  const countries = feature(topology, topology.objects.countries) as FeatureCollection;
  return {
    type: 'FeatureCollection',
    features: countries.features
      .filter((f: Feature) => f.properties?.['name'] !== 'Antarctica' && f.geometry)
      .map((f: Feature) => ({ ...f, geometry: mendGeometry(f.geometry) })),
  };
}
