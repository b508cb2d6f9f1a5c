/*
 * ManifestSend: sends COUNT messages through the official Java producer and writes a
 * manifest line per message, in the format of tests/interop/node/alions.js, so that a
 * consumer in another language can be checked byte for byte:
 *
 *   java ... org.rocketmqc.interop.ManifestSend NAMESRV_ADDR TOPIC COUNT MANIFEST
 *   <keys>\t<tags>\t<body length>\t<sha256 of the body, hex>
 *
 * Tags cycle over "TagA", "TagB" and a CJK tag; every message has a key, every third a
 * second one (space separated in the KEYS property); every fourth body is 4-12 KiB (over
 * the client's 4 KiB threshold, so the client zlib-compresses it and sets the COMPRESSED
 * flag), half of those random bytes and half repetitive text; the others are 1-1000
 * random bytes. Prints "ManifestSend: result=PASS sent=N" and exits 0, 1 on a failed
 * send, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

public final class ManifestSend {
    private static final String[] TAGS = {"TagA", "TagB", "\u6807\u7b7eC"};

    private ManifestSend() {
    }

    static byte[] body(int i, SecureRandom rnd) {
        byte[] b;
        if (i % 4 == 0) {
            b = new byte[4096 + rnd.nextInt(8 * 1024)];
            if (i % 8 == 0) {
                rnd.nextBytes(b);
            } else {
                byte[] text = ("rocketmq-c java message #" + i + " ").getBytes(StandardCharsets.UTF_8);
                for (int k = 0; k < b.length; k++) {
                    b[k] = text[k % text.length];
                }
            }
        } else {
            b = new byte[1 + rnd.nextInt(1000)];
            rnd.nextBytes(b);
        }
        return b;
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte x : d) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            if (args.length != 4) {
                System.err.println("usage: ManifestSend NAMESRV_ADDR TOPIC COUNT MANIFEST");
                Runtime.getRuntime().halt(2);
            }
            String run = Long.toString(System.currentTimeMillis(), 36);
            DefaultMQProducer producer = Harness.startProducer(args[0], "rmqc_manifest_producer_" + run,
                "rmqc_manifest_" + run);
            int count = Integer.parseInt(args[2]);
            SecureRandom rnd = new SecureRandom();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<String> keys = new ArrayList<>();
                keys.add("jk-" + run + "-" + i);
                if (i % 3 == 0) {
                    keys.add("extra-" + i);
                }
                String tag = TAGS[i % TAGS.length];
                byte[] b = body(i, rnd);
                Message msg = new Message(args[1], tag, b.clone());
                msg.setKeys(keys);
                SendResult r = producer.send(msg);
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    System.err.println("send #" + i + ": " + r);
                    status = 1;
                }
                lines.add(String.join(" ", keys) + "\t" + tag + "\t" + b.length + "\t"
                    + hex(MessageDigest.getInstance("SHA-256").digest(b)));
            }
            producer.shutdown();
            Files.write(Paths.get(args[3]), lines, StandardCharsets.UTF_8);
            System.out.println("ManifestSend: result=" + (status == 0 ? "PASS" : "FAIL") + " sent=" + count);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }
}
