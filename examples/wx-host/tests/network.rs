//! The network family through JS in the reference host, against HTTP and
//! WebSocket servers this test starts on 127.0.0.1.

mod common;

use common::server::{http, websocket};
use common::*;
use wx_apis::network::{DomainList, NetworkConfig};
use wx_core::App;

fn run(source: &str) -> Run {
    let dir = data_dir(&format!(
        "net-{:x}",
        source.len() * 31 + source.as_bytes()[source.len() / 2] as usize
    ));
    run_app(&dir, "net", source)
}

#[test]
fn responses_of_every_kind_go_to_success() {
    let server = http();
    let r = run(&format!(
        r#"
        const show = r => console.log(r.errMsg, r.statusCode, JSON.stringify(r.data));
        wx.request({{ url: '{json}', success: show }});
        wx.request({{ url: '{text}', success: show }});
        wx.request({{ url: '{bad}', success: show }});
        wx.request({{ url: '{missing}', success: show }});
        wx.request({{ url: '{json}', dataType: 'text', success: show }});
        wx.request({{ url: '{bytes}', responseType: 'arraybuffer', success: r =>
            console.log(r.data instanceof ArrayBuffer, Array.from(new Uint8Array(r.data)).join(',')) }});
        wx.request({{ url: '{cookies}', success: r => console.log(JSON.stringify(r.cookies), r.header['x-multi']) }});
        wx.request({{ url: '{marker}', success: r => console.log('plain data:', r.data instanceof Date, JSON.stringify(r.data)) }});
        "#,
        json = server.url("/json"),
        text = server.url("/text"),
        bad = server.url("/not-json"),
        missing = server.url("/missing"),
        bytes = server.url("/bytes"),
        cookies = server.url("/cookies"),
        marker = server.url("/marker"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            r#"["a=1; Path=/","b=2"] one, two"#,
            r#"plain data: false {"$wx::Date":5}"#,
            r#"request:ok 200 "plain text""#,
            r#"request:ok 200 "{\"list\":[true,null,\"x\"],\"a\":1}""#,
            r#"request:ok 200 "{oops""#,
            r#"request:ok 200 {"list":[true,null,"x"],"a":1}"#,
            r#"request:ok 404 "not found here""#,
            "true 0,1,2,255",
        ]
    );
    assert_eq!(r.uncaught, 0, "{}", r.stderr);
}

#[test]
fn data_is_encoded_as_wechat_does() {
    let server = http();
    let echo = server.url("/echo");
    let r = run(&format!(
        r#"
        const show = label => r => console.log(label, r.data.method, r.data.query, r.data.contentType, r.data.body);
        wx.request({{ url: '{echo}?x=0', data: {{ a: 1, b: 'two words', c: true }}, success: show('get') }});
        wx.request({{ url: '{echo}', method: 'POST', data: {{ a: [1, 2], b: null }}, success: show('json') }});
        wx.request({{ url: '{echo}', method: 'PUT', data: {{ a: 1, b: 'x y' }},
            header: {{ 'Content-Type': 'application/x-www-form-urlencoded' }}, success: show('form') }});
        wx.request({{ url: '{echo}', method: 'POST', data: 'raw text', header: {{ 'content-type': 'text/plain' }}, success: show('string') }});
        wx.request({{ url: '{echo}', method: 'POST', data: new Uint8Array([104, 105]).buffer,
            header: {{ 'content-type': 'application/octet-stream' }}, success: show('buffer') }});
        wx.request({{ url: '{echo}', header: {{ 'X-Custom': 42, Referer: 'https://spoofed' }},
            success: r => console.log('headers', r.data.custom, r.data.referer) }});
        "#
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "buffer POST  application/octet-stream hi",
            "form PUT  application/x-www-form-urlencoded a=1&b=x+y",
            "get GET x=0&a=1&b=two+words&c=true  ",
            "headers 42 https://servicewechat.com/net/devtools/page-frame.html",
            r#"json POST  application/json {"a":[1,2],"b":null}"#,
            "string POST  text/plain raw text",
        ]
    );
}

#[test]
fn methods_outside_the_list_are_parameter_errors() {
    let r = run("wx.request({ url: 'http://127.0.0.1:9/', method: 'PATCH', fail: e => console.log(e.errMsg) })");
    assert_eq!(
        r.stdout,
        "request:fail parameter error: parameter.method should be one of \"OPTIONS\", \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"TRACE\", \"CONNECT\" instead of \"PATCH\";\n"
    );
}

#[test]
fn timeout_abort_and_connection_errors() {
    let server = http();
    let r = run(&format!(
        r#"
        wx.request({{ url: '{slow}', timeout: 200, fail: e => console.log('timeout:', e.errMsg, e.errno) }});
        const early = wx.request({{ url: '{slow}', fail: e => console.log('before headers:', e.errMsg) }});
        early.abort();
        const late = wx.request({{ url: '{body}', fail: e => console.log('after headers:', e.errMsg) }});
        late.onHeadersReceived(() => {{ console.log('headers came'); late.abort() }});
        const done = wx.request({{ url: '{json}', success: () => {{ done.abort(); console.log('abort after settle: no-op') }},
            fail: () => console.log('must not fail') }});
        wx.request({{ url: 'http://127.0.0.1:9/', fail: e => console.log('refused:', e.errMsg, e.errno) }});
        "#,
        slow = server.url("/slow-headers"),
        body = server.url("/slow-body"),
        json = server.url("/json"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "abort after settle: no-op",
            "after headers: request:fail abort",
            "before headers: request:fail abort",
            "headers came",
            // WeChat's words and errno, not the OS's text (which goes to diagnostics).
            "refused: request:fail net::ERR_CONNECTION_REFUSED 600001",
            "timeout: request:fail timeout 5",
        ]
    );
}

#[test]
fn after_abort_no_late_event_arrives() {
    let server = http();
    let r = run(&format!(
        r#"
        const task = wx.request({{ url: '{chunks}', enableChunked: true, fail: e => console.log(e.errMsg) }});
        task.onChunkReceived(r => {{ console.log('chunk'); task.abort() }});
        task.onHeadersReceived(() => console.log('headers'));
        "#,
        chunks = server.url("/chunks"),
    ));
    assert_eq!(r.stdout, "headers\nchunk\nrequest:fail abort\n");
}

#[test]
fn headers_arrive_before_success_and_chunks_with_enable_chunked() {
    let server = http();
    let r = run(&format!(
        r#"
        const task = wx.request({{ url: '{chunks}', enableChunked: true,
            success: r => console.log('success', r.data) }});
        task.onHeadersReceived(r => console.log('headers', r.header['content-type']));
        task.onChunkReceived(r => console.log('chunk', r.data instanceof ArrayBuffer,
            String.fromCharCode(...new Uint8Array(r.data))));
        "#,
        chunks = server.url("/chunks"),
    ));
    assert_eq!(r.stdout, "headers text/plain\nchunk true one,\nchunk true two,\nchunk true three\nsuccess one,two,three\n");
}

#[test]
fn download_then_upload_round_trip_with_progress() {
    let server = http();
    let r = run(&format!(
        r#"
        let downloaded = [];
        const task = wx.downloadFile({{ url: '{file}', success(res) {{
            console.log(res.errMsg, res.statusCode, res.tempFilePath.startsWith('wxfile://tmp/'));
            console.log('download progress rises to 100:', downloaded.length > 2 && downloaded[downloaded.length - 1] === 100,
                downloaded.every((p, i) => i === 0 || p > downloaded[i - 1]));
            let sent = [];
            const up = wx.uploadFile({{ url: '{echo}', filePath: res.tempFilePath, name: 'file',
                formData: {{ user: 'mei', n: 7 }}, success(r) {{
                    const body = JSON.parse(r.data).body;
                    console.log(r.errMsg, r.statusCode, body.includes('name="user"\r\n\r\nmei'), body.includes('name="n"\r\n\r\n7'),
                        body.includes('name="file"; filename='), sent[sent.length - 1]);
                }} }});
            up.onProgressUpdate(p => sent.push(p.progress + '%' + p.totalBytesSent + '/' + p.totalBytesExpectedToSend));
        }} }});
        task.onProgressUpdate(p => downloaded.push(p.progress));
        wx.downloadFile({{ url: '{file}', filePath: wx.env.USER_DATA_PATH + '/saved/x.bin',
            success: r => console.log('saved to', r.filePath) }});
        wx.downloadFile({{ url: '{file}', filePath: '/tmp/escape.bin', fail: e => console.log(e.errMsg) }});
        wx.downloadFile({{ url: '{huge}', fail: e => console.log('300 MB:', e.errMsg) }});
        wx.uploadFile({{ url: '{echo}', filePath: '/etc/passwd', name: 'f', fail: e => console.log(e.errMsg) }});
        "#,
        file = server.url("/file?size=300000"),
        echo = server.url("/echo"),
        huge = server.url("/huge"),
    ));
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "300 MB: downloadFile:fail exceed max file size",
            "download progress rises to 100: true true",
            "downloadFile:fail permission denied, /tmp/escape.bin is outside the mini-program's sandbox",
            "downloadFile:ok 200 true",
            "saved to wxfile://usr/saved/x.bin",
            "uploadFile:fail permission denied, /etc/passwd is outside the mini-program's sandbox",
            "uploadFile:ok 200 true true true 100%300000/300000",
        ]
    );
}

#[test]
fn sockets_echo_text_and_binary_and_report_close_codes() {
    let server = websocket();
    let r = run(&format!(
        r#"
        const socket = wx.connectSocket({{ url: '{ws}', success: r => console.log(r.errMsg) }});
        console.log('abort:', typeof socket.abort, 'close:', typeof socket.close);
        socket.onOpen(() => {{
            console.log('open');
            socket.send({{ data: 'hello', success: r => console.log(r.errMsg) }});
            socket.send({{ data: new Uint8Array([1, 2, 3]).buffer }});
        }});
        let got = 0;
        socket.onMessage(m => {{
            console.log('message', typeof m.data === 'string' ? m.data : Array.from(new Uint8Array(m.data)).join(','));
            if (++got === 2) socket.close({{ code: 1000, reason: 'done', success: r => console.log(r.errMsg) }});
        }});
        socket.onClose(c => {{
            console.log('closed', c.code, c.reason);
            socket.send({{ data: 'late', fail: r => console.log(r.errMsg) }});
            const second = wx.connectSocket({{ url: '{ws}' }});
            second.onOpen(() => second.send({{ data: 'close-me' }}));
            second.onClose(c => console.log('server closed', c.code, c.reason));
        }});
        "#,
        ws = server.ws_url("/"),
    ));
    assert_eq!(
        r.stdout,
        "abort: undefined close: function\nconnectSocket:ok\nopen\nsendSocketMessage:ok\nmessage echo:hello\nmessage 3,2,1\ncloseSocket:ok\nclosed 1000 done\n\
         sendSocketMessage:fail the task has ended\nserver closed 4001 bye\n"
    );
}

#[test]
fn legacy_socket_apis_act_on_the_default_socket() {
    let server = websocket();
    let r = run(&format!(
        r#"
        wx.onSocketOpen(() => wx.sendSocketMessage({{ data: 'legacy', success: r => console.log(r.errMsg) }}));
        wx.onSocketMessage(m => {{ console.log('legacy message', m.data); wx.closeSocket({{ reason: 'bye' }}) }});
        wx.onSocketClose(c => {{ console.log('legacy close', c.code); wx.offSocketOpen(); wx.offSocketMessage(); wx.offSocketClose() }});
        wx.sendSocketMessage({{ data: 'too early', fail: r => console.log(r.errMsg) }});
        wx.connectSocket({{ url: '{ws}' }});
        "#,
        ws = server.ws_url("/"),
    ));
    // The send's success and the echo come from different tasks: either may be first.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"sendSocketMessage:fail WebSocket is not connected")
    );
    let mut middle = lines[1..3].to_vec();
    middle.sort();
    assert_eq!(
        middle,
        ["legacy message echo:legacy", "sendSocketMessage:ok"]
    );
    assert_eq!(lines[3..], ["legacy close 1000"]);
}

#[test]
fn at_most_five_sockets_are_open_at_once() {
    let server = websocket();
    let r = run(&format!(
        r#"
        const open = [];
        for (let i = 0; i < 5; i++) open.push(wx.connectSocket({{ url: '{ws}' }}));
        wx.connectSocket({{ url: '{ws}', fail: e => {{
            console.log(e.errMsg);
            open[0].onClose(() => {{
                const sixth = wx.connectSocket({{ url: '{ws}', success: r => {{
                    console.log('after one closed:', r.errMsg);
                    open.slice(1).forEach(s => s.close({{}}));
                    sixth.close({{}});
                }} }});
            }});
            open[0].close({{}});
        }} }});
        "#,
        ws = server.ws_url("/"),
    ));
    assert_eq!(
        r.stdout,
        "connectSocket:fail exceed max socket count 5\nafter one closed: connectSocket:ok\n"
    );
}

fn enforced(list: DomainList) -> App {
    let dir = data_dir("enforced");
    let config = NetworkConfig {
        domains: Some(list),
        on_unchecked: None,
    };
    App::builder("enforced")
        .data_dir(dir)
        .service(config)
        .build()
}

#[test]
fn the_domain_list_is_enforced_before_a_byte_is_sent_redirects_included() {
    let allowed = http();
    let other = http();
    let list = DomainList {
        request: vec![format!("http://{}", allowed.addr)],
        https_only: false,
        ..DomainList::default()
    };
    let redirect_away = format!("{}?to={}", allowed.url("/redirect"), other.url("/json"));
    let r = run_with(
        enforced(list),
        &format!(
            r#"
            const fail = label => e => console.log(label, e.errMsg);
            wx.request({{ url: '{ok}', success: r => console.log('allowed', r.statusCode) }});
            wx.request({{ url: '{redirect_home}', success: r => console.log('redirect inside the list', r.statusCode) }});
            wx.request({{ url: '{outside}', fail: fail('outside') }});
            wx.request({{ url: '{redirect_away}', fail: fail('redirect away') }});
            wx.downloadFile({{ url: '{ok}', fail: fail('download list is separate') }});
            "#,
            ok = allowed.url("/json"),
            redirect_home = allowed.url("/redirect"),
            outside = other.url("/json"),
        ),
    );
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "allowed 200",
            "download list is separate downloadFile:fail url not in domain list",
            "outside request:fail url not in domain list",
            "redirect away request:fail url not in domain list",
            "redirect inside the list 200",
        ]
    );
    assert_eq!(
        other.hits(),
        0,
        "nothing reached the server outside the list"
    );
    // /json, /redirect and where it led, and the /redirect that pointed away.
    assert_eq!(allowed.hits(), 4);
}

#[test]
fn https_only_by_default_when_enforcing() {
    let allowed = http();
    let list = DomainList {
        request: vec![format!("http://{}", allowed.addr)],
        ..DomainList::default()
    };
    let r = run_with(
        enforced(list),
        &format!(
            "wx.request({{ url: '{}', fail: e => console.log(e.errMsg) }})",
            allowed.url("/json")
        ),
    );
    assert_eq!(r.stdout, "request:fail url not in domain list\n");
    assert_eq!(allowed.hits(), 0);
}

#[test]
fn the_cli_says_once_that_domains_are_not_checked() {
    let server = http();
    let script = format!(
        "wx.request({{ url: '{0}' }}); wx.request({{ url: '{0}' }})",
        server.url("/json")
    );
    let output = cli(&["-e", &script]).output().unwrap();
    let (_, stderr, code) = text(&output);
    assert_eq!(code, Some(0));
    assert_eq!(
        stderr,
        "wx-host: developer mode: server domains are not checked (--domains FILE enforces them)\n"
    );
    let dir = data_dir("cli-domains");
    let list = dir.join("domains.json");
    std::fs::write(&list, r#"{"request": ["https://api.example.com"]}"#).unwrap();
    let script = format!(
        "wx.request({{ url: '{}', fail: e => console.log(e.errMsg) }})",
        server.url("/json")
    );
    let output = cli(&["--domains", list.to_str().unwrap(), "-e", &script])
        .output()
        .unwrap();
    assert_eq!(
        text(&output),
        (
            "request:fail url not in domain list\n".into(),
            String::new(),
            Some(0)
        )
    );
}

/// Calls that settle at once are delivered in the order they were made, whoever
/// settled them: a socket's Task (success as the connection starts), an
/// object API failing its parameters, plain APIs finishing on their first poll.
#[test]
fn calls_settled_at_once_are_delivered_in_the_order_they_were_made() {
    let server = websocket();
    let r = run(&format!(
        r#"
        const log = what => () => console.log(what);
        for (let round = 0; round < 3; round++) {{
            const socket = wx.connectSocket({{ url: '{ws}', success: log('socket') }});
            socket.onOpen(() => socket.close({{}}));
            wx.setStorage({{ key: 'k', data: round, success: log('storage') }});
            wx.request({{ url: 'http://127.0.0.1:9/', timeout: NaN, fail: log('request') }});
            wx.login({{ timeout: -1, fail: log('login') }});
            wx.getStorageInfo({{ complete: log('info') }});
        }}
        "#,
        ws = server.ws_url("/"),
    ));
    assert_eq!(
        r.stdout,
        "socket\nstorage\nrequest\nlogin\ninfo\n".repeat(3),
        "{}",
        r.stderr
    );
}
