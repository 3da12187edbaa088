//! Issue 14 (part): native objects with properties JS reads and assigns like
//! plain ones (read-write with the API's own check, read-only as getter-only),
//! in the registry for `canIUse`; and a sync API returning a per-app singleton.

mod common;
use common::{data_dir, run_with};
use serde::Serialize;
use wx_core::{wx_sync, App, JsonSchema, Task, Value, WxError};

#[derive(Serialize, JsonSchema)]
struct Changed {
    temperature: f64,
}

/// A thermostat's `temperature` may not go below absolute zero (°C).
fn check_temperature(value: &Value) -> Result<(), WxError> {
    match value {
        Value::Number(t) if *t < -273.15 => Err(WxError::verbatim(format!(
            "invalid Thermostat.temperature: {t}"
        ))),
        _ => Ok(()),
    }
}

/// The app's thermostat (one per app).
#[wx_sync(
    task = "Thermostat",
    singleton,
    properties(
        temperature(f64, check = check_temperature),
        mode(String, readonly),
        label(Option<String>, since = "2.0.0")
    ),
    events(on_change(Changed, no_off)),
    methods(reset)
)]
fn get_thermostat(app: &App, mut task: Task) {
    task.set_property("temperature", &20.0);
    task.set_property("mode", "idle");
    task.set_busy(false); // it only waits for JS: the run may end around it
    app.runtime().spawn(async move {
        while let Some(message) = task.next_message().await {
            match message.method.as_str() {
                "temperature=" => {
                    let t = message.args[0].as_f64().unwrap_or_default();
                    task.set_property("mode", if t > 20.0 { "heating" } else { "idle" });
                    task.emit("onChange", &Changed { temperature: t });
                }
                "reset" => {
                    task.set_property("temperature", &20.0);
                    task.set_property("mode", "idle");
                }
                _ => {}
            }
        }
    });
}

fn app(name: &str) -> App {
    App::builder(name).data_dir(data_dir(name)).build()
}

#[test]
fn properties_read_and_assign_like_plain_ones() {
    let run = run_with(
        app("properties"),
        r#"
        'use strict'
        ;(async () => {
            const t = wx.getThermostat()
            expect(t === wx.getThermostat()).toBe(true)               // one per app
            expect([t.temperature, t.mode, t.label]).toEqual([20, 'idle', undefined])
            expect(Object.keys(t).includes('temperature')).toBe(true)
            const changes = []
            t.onChange(c => changes.push(c.temperature))
            t.temperature = 25
            expect(t.temperature).toBe(25)                            // read back at once
            await new Promise(r => setTimeout(r, 20))
            expect([t.mode, changes]).toEqual(['heating', [25]])        // the task reacted
            let error = ''
            try { t.temperature = 'hot' } catch (e) { error = e.message }
            expect(error).toBe('Thermostat.temperature:fail parameter error: parameter.temperature should be Number instead of String;')
            try { t.temperature = -300 } catch (e) { error = e.message }
            expect(error).toBe('invalid Thermostat.temperature: -300')
            expect(t.temperature).toBe(25)                            // refused values change nothing
            try { t.mode = 'off' } catch (e) { error = e.constructor.name }
            expect([error, t.mode]).toEqual(['TypeError', 'heating'])   // read-only: a getter only
            t.label = 'hall'
            expect(t.label).toBe('hall')
            t.reset()
            await new Promise(r => setTimeout(r, 20))
            expect([t.temperature, t.mode]).toEqual([20, 'idle'])
            expect([wx.canIUse('Thermostat.temperature'), wx.canIUse('Thermostat.mode'), wx.canIUse('Thermostat.nope')]).toEqual([true, true, false])
        })()
    "#,
    );
    assert_eq!(run.uncaught, 0, "{}\n{}", run.stdout, run.stderr);
}
