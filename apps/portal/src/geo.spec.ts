import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Geometry, Position } from 'geojson';
import countries110m from 'world-atlas/countries-110m.json';
import { mendRing, worldGeoJson } from './geo';

const rings = (geometry: Geometry): Position[][] =>
  geometry.type === 'Polygon' ? geometry.coordinates : geometry.type === 'MultiPolygon' ? geometry.coordinates.flat() : [];

describe('the offline world map', () => {
  const world = worldGeoJson(countries110m as unknown as Topology<{ countries: GeometryCollection }>);

  it('has the countries of world-atlas, Kazakhstan among them, without Antarctica', () => {
    const names = world.features.map((f) => f.properties?.['name']);
    expect(names.length).toBeGreaterThan(170);
    expect(names).toContain('Kazakhstan');
    expect(names).not.toContain('Antarctica');
  });

  it('draws no ring across the antimeridian (Russia, Fiji)', () => {
    for (const f of world.features) {
      for (const ring of rings(f.geometry)) {
        const jumps = ring.filter((p, i) => i > 0 && Math.abs(p[0]! - ring[i - 1]![0]!) > 180);
        expect({ country: f.properties?.['name'], jumps }).toEqual({ country: f.properties?.['name'], jumps: [] });
      }
    }
  });

  it('moves only a crossing ring', () => {
    const plain: Position[] = [
      [10, 0],
      [20, 0],
      [20, 10],
      [10, 0],
    ];
    expect(mendRing(plain)).toBe(plain);
    expect(
      mendRing([
        [179, 65],
        [-179, 65],
        [-179, 66],
        [179, 65],
      ]),
    ).toEqual([
      [179, 65],
      [181, 65],
      [181, 66],
      [179, 65],
    ]);
  });
});
