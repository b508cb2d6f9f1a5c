/*
 * Java's String.format("%W.Pf", double): Formatter takes the shortest decimal string
 * that reads back as the same double (Double.toString's digits) and rounds it half-up
 * to P decimals, where C's printf rounds the exact binary value half-even. They differ
 * on values such as 0.125 ("0.13" in Java, "0.12" in C) and 1.005.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void java_format_fixed(char *out, size_t outlen, int width, int prec, double v) {
    if (!isfinite(v)) {
        snprintf(out, outlen, "%*s", width, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        return;
    }
    /* Shortest round-trip digits: d.ddddde±XX */
    char sci[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(sci, sizeof sci, "%.*e", p - 1, v);
        if (strtod(sci, NULL) == v)
            break;
    }
    bool neg = sci[0] == '-';
    char digits[24];
    size_t nd = 0;
    const char *s = sci + (neg ? 1 : 0);
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[nd++] = *s;
    /* value = 0.d1d2...dn * 10^point; keep the digits weighing at least 10^-prec. */
    int point = atoi(s + 1) + 1;
    int keep = point + prec;
    char num[400];
    int nlen = 0;
    for (int k = 0; k < keep && nlen < 350; k++)
        num[nlen++] = (size_t)k < nd ? digits[k] : '0';
    bool up = keep >= 0 && (size_t)keep < nd && digits[keep] >= '5';
    if (nlen == 0)
        num[nlen++] = '0';
    if (up) {
        int i = nlen - 1;
        while (i >= 0 && num[i] == '9')
            num[i--] = '0';
        if (i >= 0) {
            num[i]++;
        } else {
            memmove(num + 1, num, (size_t)nlen);
            num[0] = '1';
            nlen++;
        }
    }
    /* num is the integer N with value N * 10^-prec; left-pad to prec + 1 digits. */
    char padded[420];
    int pad = prec + 1 - nlen > 0 ? prec + 1 - nlen : 0;
    memset(padded, '0', (size_t)pad);
    memcpy(padded + pad, num, (size_t)nlen);
    int plen = pad + nlen;
    int lead = 0; /* strip leading zeros of the integer part */
    while (lead < plen - prec - 1 && padded[lead] == '0')
        lead++;
    char buf[440];
    size_t bl = 0;
    if (neg)
        buf[bl++] = '-'; /* Java keeps the sign of a negative value rounding to zero */
    for (int i = lead; i < plen - prec; i++)
        buf[bl++] = padded[i];
    if (prec > 0) {
        buf[bl++] = '.';
        memcpy(buf + bl, padded + plen - prec, (size_t)prec);
        bl += (size_t)prec;
    }
    buf[bl] = '\0';
    snprintf(out, outlen, "%*s", width, buf);
}

bool java_parse_long(const char *s, long long *out) {
    char *end;
    *out = strtoll(s, &end, 10);
    return *s && *end == '\0';
}

bool java_parse_timestamp(const char *s, long long *out) {
    if (java_parse_long(s, out))
        return true;
    struct tm tm = {0};
    int ms = 0;
    if (sscanf(s, "%d-%d-%d#%d:%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &ms) != 7)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    *out = (long long)mktime(&tm) * 1000 + ms;
    return true;
}
