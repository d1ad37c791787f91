import { pulledImages, splitImage } from './images';
import { BUILDERS } from './standins';
import { comparable } from './views';

describe('the images the project pulls', () => {
  it('are read from the Dockerfile and the compose file: Node, Kafka and MongoDB, no stage of its own', () => {
    expect(pulledImages().sort()).toEqual(['apache/kafka:4.1.2', 'mongo:7.0', 'node:20.20-bookworm-slim']);
  });

  it('each have a stand-in for when no registry answers', () => {
    for (const image of pulledImages()) expect(Object.keys(BUILDERS)).toContain(splitImage(image).repository);
  });

  it('split into repository and tag, a registry port aside', () => {
    expect(splitImage('apache/kafka:4.1.2')).toEqual({ repository: 'apache/kafka', tag: '4.1.2' });
    expect(splitImage('localhost:5000/mongo')).toEqual({ repository: 'localhost:5000/mongo', tag: 'latest' });
  });
});

describe('comparing two loads of the same view', () => {
  it('blanks ids minted at write time and timestamps, and keeps every figure', () => {
    const view = {
      meta: { version: 3, updatedAt: '2026-12-06T15:00:00.000Z' },
      latest: [{ id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', date: '2019-07-17', usd: 5 }],
    };
    expect(comparable(view)).toEqual({
      meta: { version: 3, updatedAt: '<timestamp>' },
      latest: [{ id: '<uuid>', date: '2019-07-17', usd: 5 }],
    });
  });
});
