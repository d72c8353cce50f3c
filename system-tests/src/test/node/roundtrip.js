// kafkajs round trip against one broker, driven by KafkajsTest:
//   node roundtrip.js <host:port> <topic> <count>
// Admin creates a 3-partition topic; an idempotent producer sends <count> records (keys, null
// keys, a header) with acks=-1; a consumer group reads them all from the beginning and commits;
// admin fetches the committed offsets. Output, one fact per line:
//   ACK <partition> <baseOffset>
//   SEEN <partition> <offset> <value> <header n>
//   COMMITTED <partition> <offset>
// Exits non-zero with the error on stderr.
const { Kafka, logLevel } = require('kafkajs');

const [broker, topic, countArg] = process.argv.slice(2);
const count = parseInt(countArg, 10);
const groupId = `${topic}-group`;
const kafka = new Kafka({ clientId: 'tidelog-kafkajs-test', brokers: [broker], logLevel: logLevel.WARN });

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: i % 5 === 0 ? null : `k${i % 7}`, value: `v${i}`, headers: { n: `${i}` } });
  }
  for (const ack of await producer.send({ topic, acks: -1, messages })) {
    console.log(`ACK ${ack.partition} ${ack.baseOffset}`);
  }
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${seen}/${count} records`)), 60000);
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        console.log(`SEEN ${partition} ${message.offset} ${message.value.toString()} ${message.headers.n.toString()}`);
        if (++seen === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect(); // commits what was consumed

  for (const t of await admin.fetchOffsets({ groupId, topics: [topic] })) {
    for (const p of t.partitions) {
      console.log(`COMMITTED ${p.partition} ${p.offset}`);
    }
  }
  await admin.disconnect();
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
