/*
 * RetryConsume: consumer retries through the broker (CONSUMER_SEND_MSG_BACK, the delay
 * scheduler, %RETRY%<group>, %DLQ%<group>) with the official Java remoting client.
 *
 *   java ... org.rocketmqc.interop.RetryConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC]
 *
 * A DefaultMQProducer sends COUNT messages. A DefaultMQPushConsumer (CLUSTERING, so the
 * client also subscribes %RETRY%<group>) with maxReconsumeTimes 2 answers RECONSUME_LATER
 * to the first delivery of every message, and to every delivery of each fifth message
 * ("poison"). Each ordinary message must come back once, from the retry topic, with
 * reconsumeTimes 1 and its original topic, keys and body, and then be consumed. Each
 * poison message must be delivered with reconsumeTimes 0, 1 and 2 and then land in the
 * dead-letter topic, where a second push consumer must find all of them. The broker under
 * test should run with short delay levels (messageDelayLevel=1s 1s ...).
 *
 * Prints one summary line starting with "RetryConsume:"; exits 0 on success, 1 on failure
 * or when TIMEOUT_SEC (default 120) elapses, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

public final class RetryConsume {
    private static final String BODY_PREFIX = "rocketmq-c retry message #";
    private static final int MAX_RECONSUME = 2;

    private RetryConsume() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("RetryConsume", t);
        }
    }

    private static boolean isPoison(int i) {
        return i % 5 == 4;
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: RetryConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC]");
            System.exit(2);
        }
        final String namesrv = args[0];
        final String topic = args[1];
        final int count = Integer.parseInt(args[2]);
        final int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        final String run = Long.toString(System.currentTimeMillis(), 36);
        final String group = "rmqc_retry_" + run;

        /* deliveries[i]: bit n set when delivery with reconsumeTimes n was seen. */
        final AtomicIntegerArray deliveries = new AtomicIntegerArray(count);
        final AtomicIntegerArray consumed = new AtomicIntegerArray(count);
        final AtomicIntegerArray dead = new AtomicIntegerArray(count);
        final AtomicInteger mismatches = new AtomicInteger();
        int poison = 0;
        for (int i = 0; i < count; i++) {
            poison += isPoison(i) ? 1 : 0;
        }
        final CountDownLatch done = new CountDownLatch(count);
        final CountDownLatch allDead = new CountDownLatch(poison);
        Harness.startWatchdog(timeoutSec, () -> summary("FAIL(timeout)", count, deliveries, consumed, dead,
            mismatches.get()));

        DefaultMQProducer producer = Harness.startProducer(namesrv, "rmqc_retry_producer_" + run,
            "rmqc_retry_" + run);
        for (int i = 0; i < count; i++) {
            Message msg = new Message(topic, "TagR", "rkey-" + run + "-" + i,
                (BODY_PREFIX + i + " run " + run).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(msg);
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                throw new IllegalStateException("send " + i + ": " + r.getSendStatus());
            }
        }
        producer.shutdown();

        DefaultMQPushConsumer consumer = Harness.pushConsumer(namesrv, group, "rmqc_retry_" + run, topic);
        consumer.setMaxReconsumeTimes(MAX_RECONSUME);
        consumer.setPollNameServerInterval(1000); /* see the retry topic's route soon */
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            ConsumeConcurrentlyStatus status = ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            for (MessageExt m : msgs) {
                int i = indexOf(m, run);
                if (i < 0 || i >= count) {
                    continue;
                }
                int times = m.getReconsumeTimes();
                if (!topic.equals(m.getTopic()) || !("rkey-" + run + "-" + i).equals(m.getKeys())
                    || !"TagR".equals(m.getTags()) || times > MAX_RECONSUME) {
                    mismatches.incrementAndGet();
                    System.err.println("message " + i + " topic=" + m.getTopic() + " keys="
                        + m.getKeys() + " tags=" + m.getTags() + " reconsumeTimes=" + times);
                }
                deliveries.getAndUpdate(i, v -> v | (1 << Math.min(times, 30)));
                if (isPoison(i) || times == 0) {
                    status = ConsumeConcurrentlyStatus.RECONSUME_LATER;
                } else if (consumed.getAndIncrement(i) == 0) {
                    done.countDown();
                }
            }
            return status;
        });
        consumer.start();

        DefaultMQPushConsumer dlq = Harness.pushConsumer(namesrv, "rmqc_dlq_" + run,
            "rmqc_dlq_" + run, "%DLQ%" + group);
        dlq.setPollNameServerInterval(1000);
        dlq.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                int i = indexOf(m, run);
                if (i < 0 || i >= count) {
                    continue;
                }
                if (!isPoison(i) || m.getReconsumeTimes() != MAX_RECONSUME + 1
                    || !topic.equals(m.getProperty("RETRY_TOPIC"))) {
                    mismatches.incrementAndGet();
                    System.err.println("dead letter " + i + " reconsumeTimes=" + m.getReconsumeTimes()
                        + " RETRY_TOPIC=" + m.getProperty("RETRY_TOPIC"));
                }
                if (dead.getAndIncrement(i) == 0) {
                    allDead.countDown();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        /* The DLQ topic exists only after the first dead letter: start its consumer then. */
        for (int i = 0; i < count; i++) {
            if (isPoison(i)) {
                final int p = i;
                while ((deliveries.get(p) & (1 << MAX_RECONSUME)) == 0) {
                    Thread.sleep(100);
                }
                break;
            }
        }
        Thread.sleep(500);
        dlq.start();

        for (int i = 0; i < count; i++) {
            if (isPoison(i)) {
                done.countDown();
            }
        }
        done.await();
        allDead.await();
        boolean ok = mismatches.get() == 0;
        for (int i = 0; i < count; i++) {
            int want = isPoison(i) ? (1 << (MAX_RECONSUME + 1)) - 1 : 0x3;
            ok &= deliveries.get(i) == want;
        }
        summary(ok ? "PASS" : "FAIL", count, deliveries, consumed, dead, mismatches.get());
        consumer.shutdown();
        dlq.shutdown();
        System.out.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    private static int indexOf(MessageExt m, String run) {
        String body = new String(m.getBody(), StandardCharsets.UTF_8);
        if (!body.startsWith(BODY_PREFIX) || !body.endsWith(" run " + run)) {
            return -1;
        }
        try {
            return Integer.parseInt(body.substring(BODY_PREFIX.length(), body.length() - run.length() - 5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void summary(String result, int count, AtomicIntegerArray deliveries,
        AtomicIntegerArray consumed, AtomicIntegerArray dead, int mismatches) {
        List<String> bad = new ArrayList<>();
        int retried = 0;
        int deadCount = 0;
        for (int i = 0; i < count; i++) {
            boolean poison = isPoison(i);
            int want = poison ? (1 << (MAX_RECONSUME + 1)) - 1 : 0x3;
            if (deliveries.get(i) == want && (poison ? dead.get(i) > 0 : consumed.get(i) > 0)) {
                retried += poison ? 0 : 1;
                deadCount += poison ? 1 : 0;
            } else if (bad.size() < 20) {
                bad.add(i + ":deliveries=0x" + Integer.toHexString(deliveries.get(i)) + ",consumed="
                    + consumed.get(i) + ",dead=" + dead.get(i));
            }
        }
        System.out.printf("RetryConsume: result=%s count=%d retried_then_consumed=%d dead_letters=%d "
            + "mismatches=%d%n", result, count, retried, deadCount, mismatches);
        if (!bad.isEmpty()) {
            System.out.println("RetryConsume: incomplete: " + bad);
        }
        System.out.flush();
    }
}
