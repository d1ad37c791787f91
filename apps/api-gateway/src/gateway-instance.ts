import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This gateway process: its Kafka consumer groups are its own, so every replica sees every event. */
export const GATEWAY_INSTANCE = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
