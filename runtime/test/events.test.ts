/** The event bus's behavioural suite over the in-process bus (no broker). */
import { memoryBroker } from '../src/events/memory.js';
import { eventSuite } from './events-suite.js';

eventSuite({
  name: 'memory',
  settings: {},
  async inject(exchange, message) {
    memoryBroker(exchange).publish({ id: message.id ?? '', name: message.name ?? '', version: 1, body: message.body });
  },
  async deadLetters(exchange, queue) {
    return memoryBroker(exchange).deadLetters(queue);
  },
  async retryDead(exchange, queue) {
    return memoryBroker(exchange).retryDead(queue);
  },
  async cleanup() {},
});
