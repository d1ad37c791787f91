import { MongoClient } from 'mongodb';
const c = await new MongoClient('mongodb://127.0.0.1:27017/', { serverSelectionTimeoutMS: 3000 }).connect();
const t = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r('HANG'), 5000))]);
console.log(await t(c.db('admin').command({ ping: 1 })));
console.log(await t(c.db('hangtest2').collection('p').countDocuments()));
console.log(await t(c.db('other').collection('z').insertOne({ a: 1 })));
await c.close();
