/*
 * StoreManifest: the list of messages a store-compatibility test wrote, shared by the
 * Java programs and the C programs in tests/interop/store_compat (which read and write
 * the same file).
 *
 * One UTF-8 text line per message, ten TAB-separated fields; lines starting with '#'
 * are comments. An absent value is written as "-".
 *
 *   topic  queueId  queueOffset  offsetMsgId  uniqKey  keys  tags  props  bodyLen  bodyCrc
 *
 *   offsetMsgId  store host + commit-log offset in upper-case hex ("-" if unknown)
 *   uniqKey      the UNIQ_KEY a Java reader sees (the message id). A record of a client
 *                batch carries UNIQ_KEY twice: the message's own, then the batch's (the
 *                broker appends the batch's properties to every inner message), and Java
 *                keeps the last, so for batch members this is the batch's id; "-" when
 *                the writer cannot know it (the Java client does not expose the batch's id)
 *   keys         the KEYS property as sent (keys separated by one space)
 *   props        user properties "name=value" joined by ','; names and values never
 *                contain TAB, ',', '=' or line breaks
 *   bodyCrc      java.util.zip.CRC32 of the body (zlib crc32, unsigned decimal)
 */
package org.rocketmqc.interop;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

final class StoreManifest {
    static final String HEADER =
        "# topic\tqueueId\tqueueOffset\toffsetMsgId\tuniqKey\tkeys\ttags\tprops\tbodyLen\tbodyCrc";

    /* One message of the manifest. */
    static final class Entry {
        String topic;
        int queueId;
        long queueOffset;
        String offsetMsgId; /* null if unknown */
        String uniqKey;
        String keys;
        String tags;
        final Map<String, String> props = new TreeMap<>();
        int bodyLen;
        long bodyCrc;

        String line() {
            StringBuilder p = new StringBuilder();
            for (Map.Entry<String, String> e : props.entrySet()) {
                if (p.length() > 0) {
                    p.append(',');
                }
                p.append(e.getKey()).append('=').append(e.getValue());
            }
            return String.join("\t", topic, Integer.toString(queueId), Long.toString(queueOffset),
                dash(offsetMsgId), dash(uniqKey), dash(keys), dash(tags), dash(p.toString()),
                Integer.toString(bodyLen), Long.toString(bodyCrc));
        }

        static Entry parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 10) {
                throw new IllegalArgumentException("manifest line has " + f.length + " fields: " + line);
            }
            Entry e = new Entry();
            e.topic = f[0];
            e.queueId = Integer.parseInt(f[1]);
            e.queueOffset = Long.parseLong(f[2]);
            e.offsetMsgId = undash(f[3]);
            e.uniqKey = undash(f[4]);
            e.keys = undash(f[5]);
            e.tags = undash(f[6]);
            String props = undash(f[7]);
            if (props != null) {
                for (String kv : props.split(",")) {
                    int eq = kv.indexOf('=');
                    e.props.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            e.bodyLen = Integer.parseInt(f[8]);
            e.bodyCrc = Long.parseLong(f[9]);
            return e;
        }
    }

    private StoreManifest() {
    }

    static long crc(byte[] body) {
        CRC32 c = new CRC32();
        c.update(body);
        return c.getValue();
    }

    static void write(Path path, List<Entry> entries) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (Entry e : entries) {
                w.write(e.line());
                w.newLine();
            }
        }
    }

    static List<Entry> read(Path path) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.add(Entry.parse(line));
        }
        return out;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String undash(String s) {
        return "-".equals(s) ? null : s;
    }
}
