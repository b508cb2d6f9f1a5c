'use strict';
// ali-ons (the Node.js RocketMQ client, pinned in package.json) against a NameServer and
// broker, for tests/interop/test_broker_alions.sh. Two modes:
//
//   node alions.js produce NAMESRV TOPIC COUNT MANIFEST
//       An ali-ons Producer sends COUNT messages to TOPIC and writes one manifest line
//       per message. Tags cycle over ASCII and CJK ones; every message has a key, every
//       third a second one; every fourth body is 4-12 KiB (over ali-ons's 4 KiB
//       threshold: it deflates the body and sets the COMPRESSED system flag), half of
//       those random bytes, half repetitive text; the others are 1-1000 random bytes.
//   node alions.js consume NAMESRV TOPIC GROUP COUNT TIMEOUT_SEC MANIFEST [RETRY_EVERY]
//       An ali-ons push Consumer in GROUP (a fresh group: CONSUME_FROM_FIRST_OFFSET)
//       subscribes to TOPIC with '*' and writes one line per message received until it
//       has COUNT messages (then it waits 1 s more to catch duplicates) or TIMEOUT_SEC
//       pass; it then commits its offsets and closes. With RETRY_EVERY = k, the message
//       whose first key ends in "-<i>" with i % k == 1 is refused once (ACTION_RETRY:
//       ali-ons sends it back with CONSUMER_SEND_MSG_BACK, delay level 0) and recorded
//       when it comes again through %RETRY%GROUP with reconsumeTimes 1; ali-ons
//       subscribes to that topic by itself, at start-up.
//
// A manifest line is "<keys>\t<tags>\t<body length>\t<sha256 of the body>" (keys space
// separated, as RocketMQ's KEYS property holds them); the test compares the two files.
// ali-ons's own log goes to stderr prefixed "[ali-ons]". Both modes print one summary
// line "alions <mode>: result=PASS|FAIL ..." and exit 0 or 1.
//
// ali-ons options used: nameSrv (a plain NameServer list instead of the Aliyun "onsAddr"
// HTTP lookup), a stub httpclient (required by its constructor, never called with
// nameSrv), and dummy accessKeyId/accessKeySecret: with them ali-ons signs every request
// (AccessKey, OnsChannel=ALIYUN and an HMAC-SHA1 Signature in the ext fields), which a
// broker without ACL must ignore, as Apache's does.

const crypto = require('crypto');
const fs = require('fs');
const { Producer, Consumer, Message } = require('ali-ons');

const TAGS = ['TagA', 'TagB', '\u6807\u7b7eC'];

const logger = {
  debug() {},
  info(...a) { if (process.env.ALIONS_VERBOSE) console.error('[ali-ons]', ...a); },
  warn(...a) { console.error('[ali-ons] WARN', ...a); },
  error(...a) { console.error('[ali-ons] ERROR', ...a); },
};

function clientOptions(namesrv) {
  return {
    nameSrv: namesrv.split(';'),
    httpclient: { request() { throw new Error('no HTTP lookup with nameSrv'); } },
    accessKeyId: 'rmqc-dummy-ak',
    accessKeySecret: 'rmqc-dummy-sk',
    logger,
    instanceName: `rmqc-${process.pid}`,
  };
}

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

function line(keys, tags, body) {
  return `${keys}\t${tags}\t${body.length}\t${sha256(body)}\n`;
}

function makeBody(i) {
  if (i % 4 === 0) {
    const len = 4096 + crypto.randomInt(8 * 1024);
    if (i % 8 === 0) return crypto.randomBytes(len);
    return Buffer.from(`rocketmq-c ali-ons message #${i} `.repeat(Math.ceil(len / 32))).subarray(0, len);
  }
  return crypto.randomBytes(1 + crypto.randomInt(1000));
}

async function produce(namesrv, topic, count, manifest) {
  const run = Date.now().toString(36);
  const producer = new Producer(Object.assign(clientOptions(namesrv), {
    producerGroup: `rmqc_alions_pg_${run}`,
    sendMsgTimeout: 10000,
  }));
  producer.on('error', err => logger.error(err));
  await producer.ready();
  const out = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const tag = TAGS[i % TAGS.length];
    const body = makeBody(i);
    const msg = new Message(topic, tag, body);
    const keys = [`ak-${run}-${i}`];
    if (i % 3 === 0) keys.push(`extra-${i}`);
    msg.keys = keys;
    // ali-ons replaces msg.body with the deflated bytes: record the original.
    const expected = line(keys.join(' '), tag, body);
    const r = await producer.send(msg);
    if (r.sendStatus !== 'SEND_OK' || !r.msgId || !(r.queueOffset >= 0)) {
      failed++;
      console.error(`send #${i}: ${JSON.stringify(r)}`);
    }
    out.push(expected);
  }
  fs.writeFileSync(manifest, out.join(''));
  await producer.close();
  const ok = failed === 0;
  console.log(`alions produce: result=${ok ? 'PASS' : 'FAIL'} sent=${count} failed=${failed}`);
  return ok;
}

async function consume(namesrv, topic, group, count, timeoutSec, manifest, retryEvery) {
  const consumer = new Consumer(Object.assign(clientOptions(namesrv), {
    consumerGroup: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    parallelConsumeLimit: 8,
    persistConsumerOffsetInterval: 1000,
  }));
  let errors = 0;
  consumer.on('error', err => { errors++; logger.error(err); });
  const out = [];
  const bad = [];
  let resolveDone;
  const done = new Promise(r => { resolveDone = r; });
  let refused = 0;
  let retried = 0;
  consumer.subscribe(topic, '*', async msg => {
    if (msg.topic !== topic) bad.push(`topic ${msg.topic}`);
    if (!/^[0-9A-F]{32}$/.test(msg.msgId || '')) bad.push(`msgId ${msg.msgId}`);
    const index = Number(String(msg.keys).split(' ')[0].split('-').pop());
    if (retryEvery && index % retryEvery === 1) {
      if (msg.reconsumeTimes === 0) {
        refused++;
        return Consumer.ACTION_RETRY;
      }
      retried++;
      if (msg.reconsumeTimes !== 1) bad.push(`reconsumeTimes ${msg.reconsumeTimes}`);
    } else if (msg.reconsumeTimes !== 0) {
      bad.push(`reconsumeTimes ${msg.reconsumeTimes} of #${index}`);
    }
    out.push(line(msg.keys, msg.tags, msg.body || Buffer.alloc(0)));
    if (out.length === count) setTimeout(resolveDone, 1000);
  });
  await consumer.ready();
  const timer = setTimeout(resolveDone, timeoutSec * 1000);
  await done;
  clearTimeout(timer);
  fs.writeFileSync(manifest, out.join(''));
  await consumer.close();
  let wantRetries = 0;
  for (let i = 0; retryEvery && i < count; i++) if (i % retryEvery === 1) wantRetries++;
  const ok = out.length === count && bad.length === 0 && refused === wantRetries &&
    retried === wantRetries;
  console.log(`alions consume: result=${ok ? 'PASS' : 'FAIL'} received=${out.length} expected=${count}` +
    ` refused=${refused} retried=${retried} expected_retries=${wantRetries} errors=${errors}` +
    `${bad.length ? ' bad=' + bad.slice(0, 5).join(',') : ''}`);
  return ok;
}

async function main(argv) {
  const [mode, ...a] = argv;
  if (mode === 'produce' && a.length === 4) {
    return produce(a[0], a[1], Number(a[2]), a[3]);
  }
  if (mode === 'consume' && (a.length === 6 || a.length === 7)) {
    return consume(a[0], a[1], a[2], Number(a[3]), Number(a[4]), a[5], Number(a[6] || 0));
  }
  console.error('usage: alions.js produce NAMESRV TOPIC COUNT MANIFEST\n' +
    '       alions.js consume NAMESRV TOPIC GROUP COUNT TIMEOUT_SEC MANIFEST [RETRY_EVERY]');
  process.exit(2);
}

main(process.argv.slice(2)).then(ok => process.exit(ok ? 0 : 1), err => {
  console.error('alions: FAIL', err);
  process.exit(1);
});
