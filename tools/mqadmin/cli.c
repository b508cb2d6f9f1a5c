/*
 * Command-line parsing and help output as commons-cli 1.5 (DefaultParser, HelpFormatter
 * at width 110) produces them for MQAdminStartup, plus the imitation of Java exception
 * traces mqadmin prints on failure (first line and "Caused by:" line; the stack frames
 * carry no information for a C program and are left out).
 */
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HELP_WIDTH 110
#define DESC_PAD   3

static const cli_opt_t opt_help = {'h', "help", false, false, "Print help"};
static const cli_opt_t opt_namesrv = {
    'n', "namesrvAddr", true, false,
    "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'"};

/* commons-cli's Option.getKey(): the short name, else the long one. */
static const char *opt_key(const cli_opt_t *o) {
    static char keys[256][2];
    if (!o->opt)
        return o->lng;
    keys[(unsigned char)o->opt][0] = o->opt;
    return keys[(unsigned char)o->opt];
}

/* Every option of cmd: -h, -n, then the command's own, sorted as commons-cli sorts them
 * (by short name, ignoring case). */
static size_t all_opts(const cli_cmd_t *cmd, const cli_opt_t **out) {
    size_t n = 0;
    out[n++] = &opt_help;
    out[n++] = &opt_namesrv;
    for (size_t i = 0; i < CLI_MAX_OPTS - 2 && cmd->opts[i].lng; i++)
        out[n++] = &cmd->opts[i];
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && strcasecmp(opt_key(out[j - 1]), opt_key(out[j])) > 0; j--) {
            const cli_opt_t *t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    }
    return n;
}

/* HelpFormatter.findWrapPos: where to break `text` for a line of `width` columns, or
 * -1 when it fits. */
static long find_wrap_pos(const char *text, size_t width) {
    size_t len = strlen(text);
    const char *nl = strchr(text, '\n');
    if (nl && (size_t)(nl - text) <= width)
        return nl - text + 1;
    const char *tab = strchr(text, '\t');
    if (tab && (size_t)(tab - text) <= width)
        return tab - text + 1;
    if (width >= len)
        return -1;
    long pos;
    for (pos = (long)width; pos >= 0; pos--)
        if (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r')
            break;
    if (pos > 0)
        return pos;
    return (size_t)width == len ? -1 : (long)width;
}

/* Appends text[0, n) without trailing white space, and a newline. */
static void put_rtrim(const char *text, size_t n) {
    while (n > 0 && (unsigned char)text[n - 1] <= ' ')
        n--;
    printf("%.*s\n", (int)n, text);
}

/* HelpFormatter.renderWrappedText: `text` (a whole line, left column included) wrapped
 * at HELP_WIDTH, continuation lines indented by `indent`. */
static void print_wrapped(const char *text, size_t indent) {
    long pos = find_wrap_pos(text, HELP_WIDTH);
    if (pos < 0) {
        put_rtrim(text, strlen(text));
        return;
    }
    put_rtrim(text, (size_t)pos);
    if (indent >= HELP_WIDTH)
        indent = 1;
    size_t cap = indent + strlen(text) + 1;
    char *cur = malloc(cap), *next = malloc(cap);
    snprintf(cur, cap, "%s", text);
    for (;;) {
        /* next = padding + cur.substring(pos).trim() */
        const char *r = cur + pos;
        while (*r && (unsigned char)*r <= ' ')
            r++;
        size_t rl = strlen(r);
        while (rl > 0 && (unsigned char)r[rl - 1] <= ' ')
            rl--;
        memset(next, ' ', indent);
        memcpy(next + indent, r, rl);
        next[indent + rl] = '\0';
        char *t = cur;
        cur = next;
        next = t;
        pos = find_wrap_pos(cur, HELP_WIDTH);
        if (pos < 0) {
            printf("%s\n", cur);
            break;
        }
        if (strlen(cur) > HELP_WIDTH && pos == (long)indent - 1)
            pos = HELP_WIDTH;
        put_rtrim(cur, (size_t)pos);
    }
    free(cur);
    free(next);
}

/* " -x,--long <arg>" or "    --long <arg>". */
static void left_column(const cli_opt_t *o, char *out, size_t outlen) {
    if (o->opt)
        snprintf(out, outlen, " -%c,--%s%s", o->opt, o->lng, o->has_arg ? " <arg>" : "");
    else
        snprintf(out, outlen, "    --%s%s", o->lng, o->has_arg ? " <arg>" : "");
}

/* One option in the usage line: "-x <arg>" or "--long <arg>", in brackets if optional. */
static int usage_item(char *out, size_t outlen, const cli_opt_t *o, bool required) {
    char name[2] = {o->opt, 0};
    return snprintf(out, outlen, "%s%s%s%s%s", required ? "" : "[", o->opt ? "-" : "--",
                    o->opt ? name : o->lng, o->has_arg ? " <arg>" : "", required ? "" : "]");
}

void cli_print_help(const cli_cmd_t *cmd) {
    const cli_opt_t *opts[CLI_MAX_OPTS];
    size_t n = all_opts(cmd, opts);
    char line[2048];
    int len = snprintf(line, sizeof line, "usage: mqadmin %s ", cmd->name);
    int groups_done = 0; /* bit per group number */
    for (size_t i = 0; i < n; i++) {
        const cli_opt_t *o = opts[i];
        if (o->group) {
            if (!(groups_done & (1 << o->group))) {
                groups_done |= 1 << o->group;
                int k = 0;
                for (size_t j = i; j < n; j++) {
                    if (opts[j]->group != o->group)
                        continue;
                    if (k++)
                        len += snprintf(line + len, sizeof line - (size_t)len, " | ");
                    len += usage_item(line + len, sizeof line - (size_t)len, opts[j], true);
                }
            }
        } else {
            len += usage_item(line + len, sizeof line - (size_t)len, o, o->required);
        }
        if (i + 1 < n)
            len += snprintf(line + len, sizeof line - (size_t)len, " ");
    }
    print_wrapped(line, strlen("usage: "));
    char left[CLI_MAX_OPTS][128];
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
        left_column(opts[i], left[i], sizeof left[i]);
        if (strlen(left[i]) > width)
            width = strlen(left[i]);
    }
    for (size_t i = 0; i < n; i++) {
        char row[4096];
        snprintf(row, sizeof row, "%-*s%*s%s", (int)width, left[i], DESC_PAD, "", opts[i]->desc);
        print_wrapped(row, width + DESC_PAD);
    }
}
static void usage_error(const cli_cmd_t *cmd, const char *fmt, const char *what) {
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    fflush(stderr);
    cli_print_help(cmd);
    exit(1);
}

/* Finds an option by short name or (a unique prefix of) its long name. */
static const cli_opt_t *find_opt(const cli_opt_t **opts, size_t n, const char *name, bool is_long,
                                 size_t name_len) {
    const cli_opt_t *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!is_long) {
            if (name_len == 1 && opts[i]->opt == name[0])
                return opts[i];
            continue;
        }
        if (strlen(opts[i]->lng) == name_len && strncmp(opts[i]->lng, name, name_len) == 0)
            return opts[i];
        if (strncmp(opts[i]->lng, name, name_len) == 0)
            found = found ? NULL : opts[i];
    }
    return found;
}

void cli_parse(const cli_cmd_t *cmd, int argc, char **argv, cli_args_t *out) {
    memset(out, 0, sizeof *out);
    out->cmd = cmd;
    out->count = all_opts(cmd, out->opts);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            continue; /* commons-cli keeps stray arguments; mqadmin ignores them */
        bool is_long = a[1] == '-';
        const char *name = a + (is_long ? 2 : 1);
        const char *eq = is_long ? strchr(name, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - name) : is_long ? strlen(name) : 1;
        const cli_opt_t *o = find_opt(out->opts, out->count, name, is_long, name_len);
        if (!o)
            usage_error(cmd, "Unrecognized option: %s", a);
        size_t idx = 0;
        while (out->opts[idx] != o)
            idx++;
        if (!o->has_arg) {
            out->values[idx] = "";
            continue;
        }
        const char *v = eq ? eq + 1 : (!is_long && name[1]) ? name + 1 : NULL;
        if (!v) {
            if (i + 1 >= argc || (argv[i + 1][0] == '-' && argv[i + 1][1] != '\0')) {
                char shortname[2] = {o->opt, 0};
                usage_error(cmd, "Missing argument for option: %s", shortname);
            }
            v = argv[++i];
        }
        out->values[idx] = v;
    }
    /* Java trims every option value (String.trim). */
    for (size_t i = 0; i < out->count; i++) {
        const char *v = out->values[i];
        if (!v)
            continue;
        while (*v && (unsigned char)*v <= ' ')
            v++;
        size_t n = strlen(v);
        while (n > 0 && (unsigned char)v[n - 1] <= ' ')
            n--;
        out->owned[i] = strndup(v, n);
        out->values[i] = out->owned[i];
    }
    if (cli_has(out, 'h')) {
        cli_print_help(cmd);
        exit(0);
    }
    /* Options.getRequiredOptions order: options and required groups as added. */
    char missing[1024] = "";
    int nmissing = 0, groups_done = 0;
    for (size_t i = 0; i < CLI_MAX_OPTS - 2 && cmd->opts[i].lng; i++) {
        const cli_opt_t *o = &cmd->opts[i];
        size_t l = strlen(missing);
        if (o->group) {
            if (groups_done & (1 << o->group))
                continue;
            groups_done |= 1 << o->group;
            bool any = false;
            for (size_t j = i; j < CLI_MAX_OPTS - 2 && cmd->opts[j].lng; j++)
                if (cmd->opts[j].group == o->group && cli_has(out, cmd->opts[j].opt))
                    any = true;
            if (any)
                continue;
            /* OptionGroup.toString: "[-b desc, -c desc]" */
            l += (size_t)snprintf(missing + l, sizeof missing - l, "%s[", nmissing ? ", " : "");
            int k = 0;
            for (size_t j = i; j < CLI_MAX_OPTS - 2 && cmd->opts[j].lng && l < sizeof missing; j++)
                if (cmd->opts[j].group == o->group)
                    l += (size_t)snprintf(missing + l, sizeof missing - l, "%s-%c %s",
                                          k++ ? ", " : "", cmd->opts[j].opt, cmd->opts[j].desc);
            if (l < sizeof missing)
                snprintf(missing + l, sizeof missing - l, "]");
            nmissing++;
        } else if (o->required && !cli_has(out, o->opt)) {
            snprintf(missing + l, sizeof missing - l, "%s%c", nmissing ? ", " : "", o->opt);
            nmissing++;
        }
    }
    if (nmissing)
        usage_error(cmd,
                    nmissing == 1 ? "Missing required option: %s" : "Missing required options: %s",
                    missing);
}

const char *cli_get_long(const cli_args_t *args, const char *lng) {
    for (size_t i = 0; i < args->count; i++)
        if (strcmp(args->opts[i]->lng, lng) == 0)
            return args->values[i];
    return NULL;
}

bool cli_has(const cli_args_t *args, char opt) {
    for (size_t i = 0; i < args->count; i++)
        if (args->opts[i]->opt == opt)
            return args->values[i] != NULL;
    return false;
}

const char *cli_get(const cli_args_t *args, char opt) {
    for (size_t i = 0; i < args->count; i++)
        if (args->opts[i]->opt == opt)
            return args->values[i];
    return NULL;
}

void cli_args_close(cli_args_t *args) {
    for (size_t i = 0; i < args->count; i++)
        free(args->owned[i]);
}

rmq_admin_t *cli_admin(const cli_args_t *args, const char *namesrv_override) {
    char errstr[512];
    rmq_conf_t *conf = rmq_conf_new();
    const char *ns = namesrv_override ? namesrv_override : cli_get(args, 'n');
    if (ns)
        rmq_conf_set(conf, "namesrvAddr", ns, NULL, 0);
    /* DefaultMQAdminExt's time-out is 5 s, not the client's 3 s. */
    rmq_conf_set(conf, "mqClientApiTimeout", "5000", NULL, 0);
    /* The Java tool logs to a file, not the terminal: keep connection notices quiet. */
    rmq_conf_set(conf, "logLevel", "error", NULL, 0);
    rmq_admin_t *admin = rmq_admin_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!admin)
        fprintf(stderr, "%s\n", errstr);
    return admin;
}

/* ------------------------------------------------------------------ exceptions */

#define FAQ_URL "https://rocketmq.apache.org/docs/bestPractice/06FAQ"

/* The message of an MQClientException / MQBrokerException(code, remark). */
static void print_code_message(rmq_err_t err, const char *remark, const char *broker_addr) {
    fprintf(stderr, "CODE: %d  DESC: %s", (int)err, remark && *remark ? remark : "null");
    if (broker_addr)
        fprintf(stderr, " BROKER: %s", broker_addr);
    /* FAQUrl.attachDefaultURL adds a pointer unless the remark already has one. */
    if (!remark || !strstr(remark, "\nSee "))
        fprintf(stderr, "\nFor more information, please visit the url, " FAQ_URL);
    fprintf(stderr, "\n");
}

void mqadmin_print_client_exception(const char *message, rmq_err_t cause,
                                    const char *cause_errstr) {
    fflush(stdout);
    fprintf(stderr, "org.apache.rocketmq.client.exception.MQClientException: %s", message);
    if (!strstr(message, "\nSee "))
        fprintf(stderr, "\nFor more information, please visit the url, " FAQ_URL);
    fprintf(stderr, "\n");
    if (cause > 0) {
        fprintf(stderr, "Caused by: org.apache.rocketmq.client.exception.MQClientException: ");
        print_code_message(cause, cause_errstr, NULL);
    }
    fflush(stderr);
}

void mqadmin_print_exception(const cli_cmd_t *cmd, bool wrapped, bool broker_exc, rmq_err_t err,
                             const char *errstr, const char *broker_addr) {
    fflush(stdout);
    if (wrapped)
        fprintf(stderr,
                "org.apache.rocketmq.tools.command.SubCommandException: %s command failed\n"
                "Caused by: ",
                cmd->java_class);
    if (err > 0) {
        fprintf(stderr, "org.apache.rocketmq.client.exception.%s: ",
                broker_exc ? "MQBrokerException" : "MQClientException");
        print_code_message(err, errstr, broker_exc ? broker_addr : NULL);
    } else if (err == RMQ_ERR__TIMED_OUT) {
        fprintf(stderr, "org.apache.rocketmq.remoting.exception.RemotingTimeoutException: %s\n",
                errstr);
    } else if (err == RMQ_ERR__TRANSPORT) {
        fprintf(stderr, "org.apache.rocketmq.remoting.exception.RemotingConnectException: %s\n",
                errstr);
    } else {
        fprintf(stderr, "org.apache.rocketmq.client.exception.MQClientException: %s (%s)\n",
                rmq_err2str(err), errstr);
    }
    fflush(stderr);
}
