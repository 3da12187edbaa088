//! `wx-host`: run a mini-program script against every registered wx API.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use wx_apis::audio::{Audio, SilentOutput};
use wx_apis::files::PackageRoot;
use wx_apis::network::{DomainList, NetworkConfig};
use wx_apis::route::PageStack;
use wx_apis::system::DeviceProfile;
use wx_apis::worker::Workers;
use wx_core::{App, Registry};
use wx_host::ui::ReferenceUi;
use wx_host::{Launch, MiniProgram, Package, PageQueue, QuickJsWorkers, StdConsole};

const USAGE: &str = r#"Usage: wx-host [OPTIONS] <miniprogram-folder>
       wx-host [OPTIONS] <script.js>
       wx-host [OPTIONS] -e <code>
       wx-host --list-apis [--json]

Runs a mini-program's logic layer: a package folder (app.json, app.js, pages,
modules) launched as WeChat launches it, or a single script, with a global `wx`
built from every registered API, plus console, timers and Promises. Exits 0 when
everything it started has finished, 1 after an uncaught exception, an unhandled
rejection or a failed expectation of the test script.

Options:
  -e, --eval <code>      run this code instead of a file
      --test <script.js>
                         after launch, run this test script (an ES module;
                         top-level await works) in the same world: `miniProgram`
                         drives the app (currentPage, tap, trigger, hide, show,
                         idle) and `expect` checks it
      --path <page?query>
                         the launch page [default: app.json's entry page]
      --scene <number>   the launch scene [default: 1001]
      --ui <terminal|script>
                         how toasts, loading, modals and action sheets are shown:
                         `terminal` asks the person at the terminal (stderr, stdin);
                         `script` answers from --ui-answers and the test script's
                         miniProgram.ui.answerModal/answerActionSheet, else
                         confirms a modal and picks an action sheet's first item
                         [default: terminal when stdin is a terminal, else script]
      --ui-answers <file>
                         answers queued for the scripted UI, a JSON file:
                         {"modal": [{"confirm": false}], "actionSheet": [2, null]}
      --ui-log <file>    write everything shown (and each answer) as JSON lines
      --audio-speed <n>  background audio plays silently, n times real time
                         [default: 1]
      --app-id <id>      the mini-program's app id [default: wx-demo]
      --data-dir <dir>   where app data lives (storage, files), one folder per
                         app id [default: the per-user data folder, wx-rs/]
      --for <seconds>    close the mini-program after this long, even with
                         listeners or timers still live
      --device <file>    the simulated device, a JSON profile (any of brand, model,
                         system, platform, pixelRatio, screenWidth, screenHeight,
                         windowWidth, windowHeight, safeArea, language, theme, ...)
                         [default: a desktop simulator; language and system from
                         this machine]
      --domains <file>   enforce the app's server domains, a JSON file:
                         {"request": ["https://api.example.com"], "socket": [...],
                          "uploadFile": [...], "downloadFile": [...]}
                         [default: developer mode, nothing checked]
      --list-apis        print every registered API: name, kind, since, summary
      --log <level>      print each call as a tracing span (error, warn, info,
                         debug, trace; `debug` shows every call with its outcome
                         and duration) on stderr [default: off, or $WX_LOG]
      --stats            print a per-API table (calls, failures, latencies) at exit
      --typings <file>   write TypeScript declarations of every registered API
                         (namespace WxRs, and the global `wx`) to <file>, or
                         stdout with `-`, and exit
      --json             with --list-apis: every API and class member as JSON
                         (name, kind, promise, since, summary, options, result, class)
  -h, --help             print this help
  -V, --version          print the version"#;

const SHORT_USAGE: &str = "Usage: wx-host [OPTIONS] <miniprogram-folder | script.js>
       wx-host [OPTIONS] -e <code>";

struct Cli {
    script: Option<PathBuf>,
    log: Option<String>,
    stats: bool,
    typings: Option<PathBuf>,
    json: bool,
    audio_speed: f64,
    ui: Option<String>,
    ui_answers: Option<PathBuf>,
    ui_log: Option<PathBuf>,
    test: Option<PathBuf>,
    path: Option<String>,
    scene: f64,
    code: Option<String>,
    app_id: String,
    data_dir: Option<PathBuf>,
    run_for: Option<Duration>,
    list_apis: bool,
    domains: Option<PathBuf>,
    device: Option<PathBuf>,
}

fn parse() -> Result<Option<Cli>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut cli = Cli {
        script: None,
        log: std::env::var("WX_LOG").ok(),
        stats: false,
        typings: None,
        json: false,
        audio_speed: 1.0,
        ui: None,
        ui_answers: None,
        ui_log: None,
        test: None,
        path: None,
        scene: 1001.0,
        code: None,
        app_id: "wx-demo".into(),
        data_dir: None,
        run_for: None,
        list_apis: false,
        domains: None,
        device: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('e') | Long("eval") => cli.code = Some(parser.value()?.string()?),
            Long("app-id") => cli.app_id = parser.value()?.string()?,
            Long("data-dir") => cli.data_dir = Some(parser.value()?.into()),
            Long("for") => {
                let seconds = number(&mut parser, "--for")?;
                if !(seconds.is_finite() && seconds >= 0.0) {
                    return Err("--for takes a number of seconds, 0 or more".into());
                }
                cli.run_for = Some(Duration::from_secs_f64(seconds));
            }
            Long("list-apis") => cli.list_apis = true,
            Long("json") => cli.json = true,
            Long("stats") => cli.stats = true,
            Long("log") => cli.log = Some(parser.value()?.string()?),
            Long("typings") => cli.typings = Some(parser.value()?.into()),
            Short('V') | Long("version") => {
                println!("wx-host {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            Long("test") => cli.test = Some(parser.value()?.into()),
            Long("ui") => {
                let ui = parser.value()?.string()?;
                if ui != "terminal" && ui != "script" {
                    return Err(format!("--ui takes terminal or script, not {ui:?}").into());
                }
                cli.ui = Some(ui);
            }
            Long("ui-answers") => cli.ui_answers = Some(parser.value()?.into()),
            Long("ui-log") => cli.ui_log = Some(parser.value()?.into()),
            Long("audio-speed") => {
                let speed = number(&mut parser, "--audio-speed")?;
                if !(speed.is_finite() && speed > 0.0 && speed <= 1000.0) {
                    return Err("--audio-speed takes a number above 0, at most 1000".into());
                }
                cli.audio_speed = speed;
            }
            Long("path") => cli.path = Some(parser.value()?.string()?),
            Long("scene") => {
                let scene = number(&mut parser, "--scene")?;
                if !(scene.is_finite() && scene >= 0.0) {
                    return Err("--scene takes a scene number".into());
                }
                cli.scene = scene;
            }
            Long("domains") => cli.domains = Some(parser.value()?.into()),
            Long("device") => cli.device = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(None),
            Value(path) if cli.script.is_none() => cli.script = Some(path.into()),
            _ => return Err(arg.unexpected()),
        }
    }
    if !cli.list_apis && cli.typings.is_none() && cli.script.is_none() == cli.code.is_none() {
        return Err("give a mini-program folder, a script file or -e <code> (one of them)".into());
    }
    Ok(Some(cli))
}

/// The value of an option that takes a number, or an error naming the option.
fn number(parser: &mut lexopt::Parser, option: &str) -> Result<f64, lexopt::Error> {
    let value = parser.value()?;
    let text = value.to_string_lossy().into_owned();
    text.parse()
        .map_err(|_| format!("{option} takes a number, not {text:?}").into())
}

/// `--list-apis --json`: every API and class member as the registry describes it.
fn list_apis_json(registry: &Registry) {
    let type_of = |ty: &wx_core::schema::JsType| ty.to_string();
    let entries: Vec<serde_json::Value> = wx_core::signature::signatures(registry)
        .iter()
        .map(|s| {
            let options: Vec<serde_json::Value> = s
                .inputs
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "name": i.field.name,
                        "type": type_of(&i.field.ty),
                        "required": i.field.required,
                        "positional": i.positional,
                    })
                })
                .collect();
            let result = s.output.as_ref().map(|o| {
                serde_json::json!({
                    "type": type_of(&o.ty),
                    "fields": o.fields.iter().map(|f| serde_json::json!({
                        "name": f.name, "type": type_of(&f.ty), "required": f.required,
                    })).collect::<Vec<_>>(),
                })
            });
            serde_json::json!({
                "name": s.name,
                "kind": s.kind.as_str(),
                "promise": s.promise,
                "since": s.since,
                "summary": s.summary,
                "options": options,
                "result": result,
                "class": s.returns_class,
            })
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&entries).unwrap_or_default()
    );
}

fn list_apis(registry: &Registry) {
    let width = registry.iter().map(|api| api.name.len()).max().unwrap_or(4);
    println!("{:width$}  {:5}  {:7}  summary", "name", "kind", "since");
    for api in registry.iter() {
        let since = match api.since() {
            "" => "-",
            since => since,
        };
        println!(
            "{:width$}  {:5}  {:7}  {}",
            api.name,
            api.kind.as_str(),
            since,
            api.summary()
        );
    }
}

/// The domain list from `--domains`, or developer mode with a notice on stderr
/// the first time a URL goes unchecked.
fn network_config(domains: Option<&std::path::Path>) -> Result<NetworkConfig, String> {
    let Some(path) = domains else {
        let notice: std::sync::Arc<dyn Fn() + Send + Sync> = std::sync::Arc::new(|| {
            eprintln!("wx-host: developer mode: server domains are not checked (--domains FILE enforces them)");
        });
        return Ok(NetworkConfig {
            domains: None,
            on_unchecked: Some(notice),
        });
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let list: DomainList =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(NetworkConfig {
        domains: Some(list),
        on_unchecked: None,
    })
}

/// The UI `--ui`, `--ui-answers` and `--ui-log` ask for.
fn reference_ui(cli: &Cli) -> Result<ReferenceUi, Exit> {
    use std::io::IsTerminal;
    let log = match &cli.ui_log {
        Some(path) => Some(
            std::fs::File::create(path)
                .map_err(|e| usage(format!("cannot write {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let terminal = match cli.ui.as_deref() {
        Some(ui) => ui == "terminal",
        None => std::io::stdin().is_terminal() && cli.ui_answers.is_none(),
    };
    if terminal {
        if cli.ui_answers.is_some() {
            return Err(usage("--ui-answers needs the scripted UI (--ui script)"));
        }
        return Ok(ReferenceUi::terminal(log));
    }
    let ui = ReferenceUi::scripted(log);
    if let (Some(path), Some(scripted)) = (&cli.ui_answers, ui.scripted_answers()) {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
        scripted
            .queue_json(&text)
            .map_err(|e| usage(format!("{}: {e}", path.display())))?;
    }
    Ok(ui)
}

fn main() -> ExitCode {
    wx_host::link_apis();
    let cli = match parse() {
        Ok(Some(cli)) => cli,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("wx-host: {err}\n\n{SHORT_USAGE}\n\nFor more information, try '--help'.");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(Exit { message, code }) => {
            eprintln!("wx-host: {message}");
            code
        }
    }
}

/// Why the host stopped before or instead of running the script: printed once,
/// with its exit code (2 for what the person asked wrong, 1 for the rest).
struct Exit {
    message: String,
    code: ExitCode,
}

/// The program could not start or go on (exit 1).
fn failure(message: impl Into<String>) -> Exit {
    Exit {
        message: message.into(),
        code: ExitCode::FAILURE,
    }
}

/// What the person asked for was wrong (exit 2).
fn usage(message: impl Into<String>) -> Exit {
    Exit {
        message: message.into(),
        code: ExitCode::from(2),
    }
}

/// `--log`: `wx` spans and events on stderr, a call's span printed when it closes.
fn init_log(level: &str) -> Result<(), Exit> {
    let level: tracing_subscriber::filter::LevelFilter = level.parse().map_err(|_| {
        usage(format!(
            "--log takes error, warn, info, debug or trace, not {level:?}"
        ))
    })?;
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_target(false)
        .init();
    Ok(())
}

/// `--stats`: one line per API, by name.
fn print_stats(stats: &[wx_core::ApiStats]) {
    let width = stats.iter().map(|s| s.name.len()).max().unwrap_or(3).max(3);
    eprintln!(
        "{:width$}  {:>7}  {:>8}  {:>10}  {:>10}  {:>10}",
        "api", "calls", "failures", "mean", "p99 <=", "max"
    );
    for s in stats {
        eprintln!(
            "{:width$}  {:>7}  {:>8}  {:>10?}  {:>10?}  {:>10?}",
            s.name,
            s.calls,
            s.failures,
            s.mean(),
            s.percentile(99.0),
            s.max
        );
    }
}

fn run(cli: Cli) -> Result<ExitCode, Exit> {
    if let Some(level) = &cli.log {
        init_log(level)?;
    }
    if let Some(path) = &cli.typings {
        let registry = Registry::global().map_err(|err| failure(err.to_string()))?;
        let text = wx_core::typings::typescript(registry, &Default::default());
        if path.as_os_str() == "-" {
            print!("{text}");
        } else {
            std::fs::write(path, text)
                .map_err(|e| usage(format!("cannot write {}: {e}", path.display())))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if cli.list_apis {
        let registry = Registry::global().map_err(|err| Exit {
            message: err.to_string(),
            code: ExitCode::FAILURE,
        })?;
        match cli.json {
            true => list_apis_json(registry),
            false => list_apis(registry),
        }
        return Ok(ExitCode::SUCCESS);
    }
    // A panic inside an API reaches JS as an errMsg and stderr as one diagnostic
    // line; the default hook would print its raw text too.
    wx_core::install_quiet_panic_hook();
    let package = match &cli.script {
        Some(path) if path.is_dir() => {
            Some(Package::open(path).map_err(|err| failure(err.to_string()))?)
        }
        _ => None,
    };
    if package.is_none() && (cli.test.is_some() || cli.path.is_some()) {
        return Err(usage("--test and --path need a mini-program folder"));
    }
    let test = match &cli.test {
        Some(path) => Some((
            path.display().to_string(),
            std::fs::read_to_string(path)
                .map_err(|err| usage(format!("cannot read {}: {err}", path.display())))?,
        )),
        None => None,
    };
    let script = match (&package, &cli.script, &cli.code) {
        (Some(_), _, _) => None,
        (None, Some(path), _) => {
            let source = std::fs::read_to_string(path)
                .map_err(|err| usage(format!("cannot read {}: {err}", path.display())))?;
            Some((path.display().to_string(), source))
        }
        (None, None, Some(code)) => Some(("<eval>".to_owned(), code.clone())),
        (None, None, None) => unreachable!("parse() requires one"),
    };
    let network = network_config(cli.domains.as_deref()).map_err(usage)?;
    let device = match &cli.device {
        None => DeviceProfile::default(),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| DeviceProfile::from_json(&text))
            .map_err(|err| usage(format!("{}: {err}", path.display())))?,
    };
    let ui = reference_ui(&cli)?;
    // The app id becomes a folder name: refuse anything that could leave the data folder.
    wx_core::check_app_id(&cli.app_id).map_err(usage)?;
    let data_dir = cli
        .data_dir
        .unwrap_or_else(wx_core::default_data_root)
        .join(&cli.app_id);
    let pages = PageQueue::default();
    let mut builder = App::builder(&cli.app_id);
    if let Some(package) = &package {
        let stack = PageStack::new(package.pages().clone(), std::sync::Arc::new(pages.clone()));
        builder = builder
            .service(stack)
            .service(Workers::new(QuickJsWorkers::new(package.clone())))
            .service(PackageRoot(package.root().to_owned()));
    }
    let app = builder
        .data_dir(data_dir)
        .service(network)
        .service(device)
        .service(ui.service())
        .service(Audio::new(SilentOutput {
            speed: cli.audio_speed,
        }))
        // What lies behind a failure JS sees in WeChat's words (an OS error behind
        // `request:fail net::ERR_CONNECTION_REFUSED`), for the person at the terminal.
        .service(wx_core::Diagnostics::new(|api, detail| {
            eprintln!("wx-host: {api} failed: {detail}")
        }))
        .build();
    let program = MiniProgram::new(app, StdConsole).map_err(|err| failure(err.to_string()))?;
    program.attach_ui(ui);
    program.host().enable_stats(cli.stats);
    // --for counts from the start, so it also ends a script that never yields.
    if let Some(run_for) = cli.run_for {
        program.close_at(std::time::Instant::now() + run_for);
    }
    match (&package, &script) {
        (Some(package), _) => {
            let launch = Launch {
                path: cli.path.clone(),
                scene: cli.scene,
            };
            program
                .launch(package, &pages, &launch)
                .map_err(|err| failure(err.to_string()))?;
            if let Some((name, source)) = &test {
                program.eval_module(name, source);
            }
        }
        (None, Some((name, source))) => {
            program.eval(name, source);
        }
        (None, None) => unreachable!("a package or a script"),
    }
    let outcome = program.run(None);
    wx_host::ui::clear_status_line();
    if cli.stats {
        print_stats(&program.host().stats());
    }
    Ok(match outcome.passed() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}
