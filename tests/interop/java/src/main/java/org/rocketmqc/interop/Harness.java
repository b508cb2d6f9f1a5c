/*
 * Harness: the pieces every interop program repeats -- the result=FAIL line that ends the
 * JVM, the watchdog, bounded waiting, a started producer, a push consumer's usual
 * set-up, and "has the push consumer caught up".
 *
 * Also compiled by ../java49 against the 4.9.8 client (ClientModes uses it), so it may
 * use only client API that 4.9 and 5.3 have in common.
 */
package org.rocketmqc.interop;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageQueue;

final class Harness {
    private Harness() {
    }

    /* Prints `line`, flushes and halts the JVM with status 1 (no client thread can keep it). */
    static void die(String line) {
        System.out.println(line);
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }

    /* For main's catch-all: the stack trace, then "PROG: result=FAIL(exception) ...". */
    static void dieOf(String prog, Throwable t) {
        t.printStackTrace();
        die(prog + ": result=FAIL(exception) " + t);
    }

    /* After `timeoutSec` runs `onTimeout` (which prints the failure) and halts with 1. */
    static void startWatchdog(int timeoutSec, Runnable onTimeout) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(timeoutSec));
            } catch (InterruptedException e) {
                return;
            }
            onTimeout.run();
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }, "rmqc-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /* After `timeoutSec` prints the line `onTimeout` gives and halts with 1. */
    static void startWatchdogLine(int timeoutSec, Supplier<String> onTimeout) {
        startWatchdog(timeoutSec, () -> System.out.println(onTimeout.get()));
    }

    /*
     * Polls `cond` every 50 ms; if it is not true within `limitMs`, dies with
     * "PROG: result=FAIL(WHAT not within N ms)" followed by `extra` (may be empty).
     */
    static void waitFor(String prog, String what, long limitMs, BooleanSupplier cond, Supplier<String> extra)
        throws InterruptedException {
        long deadline = System.currentTimeMillis() + limitMs;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() >= deadline) {
                die(prog + ": result=FAIL(" + what + " not within " + limitMs + " ms)" + extra.get());
            }
            Thread.sleep(50);
        }
    }

    static void waitFor(String prog, String what, long limitMs, BooleanSupplier cond) throws InterruptedException {
        waitFor(prog, what, limitMs, cond, () -> "");
    }

    /* The consumer's offset of every queue of `topic` equals the queue's max offset. */
    static boolean settled(DefaultMQPushConsumer c, String topic) {
        try {
            DefaultMQPushConsumerImpl impl = c.getDefaultMQPushConsumerImpl();
            for (MessageQueue mq : c.fetchSubscribeMessageQueues(topic)) {
                long max = impl.getmQClientFactory().getMQAdminImpl().maxOffset(mq);
                if (impl.getOffsetStore().readOffset(mq, ReadOffsetType.READ_FROM_MEMORY) != max) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /* A started producer of `group` (instance name `instance`) with a 10 s send timeout. */
    static DefaultMQProducer startProducer(String namesrv, String group, String instance) throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(group);
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName(instance);
        producer.setSendMsgTimeout(10000);
        producer.start();
        return producer;
    }

    /*
     * A push consumer of `group` (instance name `instance`) subscribed to every tag of
     * `topic`, from the first offset; not started (the caller adds its listener).
     */
    static DefaultMQPushConsumer pushConsumer(String namesrv, String group, String instance, String topic)
        throws MQClientException {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(instance);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, "*");
        return c;
    }
}
