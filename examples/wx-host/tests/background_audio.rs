//! Issue 14 (part): `wx.getBackgroundAudioManager()` — a singleton with
//! properties; `src` and `title` start playback of a file really decoded (a WAV
//! the test writes itself); `currentTime`, `onTimeUpdate` and `onEnded` follow
//! the output's clock (20 times real time here); undecodable and missing files
//! give `onError` with WeChat's codes.

mod common;
use common::{run_package, write_package};
use wx_host::Launch;

/// A mono 16-bit PCM WAV of `seconds` of a 440 Hz tone at 8 kHz.
fn wav(seconds: f64) -> Vec<u8> {
    let rate = 8000u32;
    let samples: Vec<i16> = (0..(seconds * rate as f64) as usize)
        .map(|i| ((i as f64 * 440.0 * std::f64::consts::TAU / rate as f64).sin() * 8000.0) as i16)
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    samples
        .iter()
        .for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
    out
}

#[test]
fn src_and_title_play_a_decoded_file_on_the_outputs_clock() {
    let dir = write_package(
        "audio",
        &[
            ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
            (
                "audio/not-audio.mp3",
                "this is not an mp3 file at all, just text",
            ),
        ],
    );
    std::fs::write(dir.join("audio/tone.wav"), wav(10.0)).unwrap();
    let run = run_package(
        &dir,
        Launch::default(),
        r#"
        const sleep = ms => new Promise(r => setTimeout(r, ms))
        const until = async (cond, ms = 5000) => { const end = Date.now() + ms; while (!cond() && Date.now() < end) await sleep(5) }
        const m = wx.getBackgroundAudioManager()
        expect(m === wx.getBackgroundAudioManager()).toBe(true)
        expect([m.paused, m.currentTime, m.duration]).toEqual([true, 0, 0])
        const seen = []
        for (const ev of ['onWaiting', 'onCanplay', 'onPlay', 'onPause', 'onStop', 'onEnded', 'onSeeking', 'onSeeked']) m[ev](() => seen.push(ev))
        const errors = []
        m.onError(e => errors.push(e))
        let ticks = 0
        m.onTimeUpdate(() => ticks++)
        m.onTimeUpdate(() => ticks++)            // replaces: one handler per event
        m.src = '/audio/tone.wav'
        await sleep(50)
        expect(seen).toEqual([])                  // no title yet: nothing plays (WeChat's rule)
        m.title = 'Tone'
        await until(() => seen.includes('onPlay'))
        expect([seen, errors]).toEqual([["onWaiting", "onCanplay", "onPlay"], []])
        expect([m.duration, m.paused, m.src, m.title]).toEqual([10, false, '/audio/tone.wav', 'Tone'])
        await until(() => seen.includes('onEnded'))   // 10 s at 20x
        expect([m.currentTime, m.paused]).toEqual([10, true])
        expect(ticks > 0).toBe(true)
        m.play()
        await until(() => seen.filter(e => e === 'onPlay').length === 2)
        expect(m.currentTime < 10).toBe(true)     // played again from the start
        m.pause()
        await until(() => seen.includes('onPause'))
        m.seek(4)
        await until(() => seen.includes('onSeeked'))
        expect(m.currentTime).toBe(4)
        m.stop()
        await until(() => seen.includes('onStop'))
        expect([m.currentTime, m.paused]).toEqual([0, true])
        let thrown = ''
        try { m.src = '' } catch (e) { thrown = e.message }
        expect(thrown).toBe('invalid BackgroundAudioManager.src: ')
        let readonly = 'no error'
        try { (function () { 'use strict'; m.duration = 3 })() } catch (e) { readonly = e.constructor.name }
        expect([readonly, m.duration]).toEqual(['TypeError', 10])
        m.src = '/audio/not-audio.mp3'
        await until(() => errors.length === 1)
        expect(errors[0].errCode).toBe(10004)
        m.src = '/audio/missing.mp3'
        await until(() => errors.length === 2)
        expect(errors[1].errCode).toBe(10003)
        m.src = '/../outside.wav'
        await until(() => errors.length === 3)
        expect(errors[2].errCode).toBe(10003)
        expect([wx.canIUse('BackgroundAudioManager.src'), wx.canIUse('BackgroundAudioManager.onTimeUpdate')]).toEqual([true, true])
    "#,
    );
    run.assert_passed();
}

/// The other two kinds of `src`: a `wxfile://` path in the app's sandbox, and
/// http(s) through the network stack (here a server on 127.0.0.1 serving bytes
/// that are not audio: a format error, 10004; a refused port: a network error, 10002).
#[test]
fn wxfile_and_http_sources() {
    let server = common::server::http();
    let dir = write_package(
        "audio-sources",
        &[
            ("app.json", r#"{ "pages": ["pages/a/a"] }"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
        ],
    );
    std::fs::create_dir_all(dir.join(".data/usr")).unwrap();
    std::fs::write(dir.join(".data/usr/tone.wav"), wav(2.0)).unwrap();
    let test = format!(
        r#"
        const sleep = ms => new Promise(r => setTimeout(r, ms))
        const until = async (cond, ms = 5000) => {{ const end = Date.now() + ms; while (!cond() && Date.now() < end) await sleep(5) }}
        const m = wx.getBackgroundAudioManager()
        const errors = []
        let played = 0
        m.onError(e => errors.push(e.errCode))
        m.onPlay(() => played++)
        m.title = 'From the sandbox'
        m.src = wx.env.USER_DATA_PATH + '/tone.wav'
        await until(() => played === 1)
        expect(m.duration).toBe(2)
        m.src = '{not_audio}'
        await until(() => errors.length === 1)
        m.src = 'http://127.0.0.1:9/none.mp3'
        await until(() => errors.length === 2)
        expect(errors).toEqual([10004, 10002])
        m.stop()
        "#,
        not_audio = server.url("/file?size=5000")
    );
    let run = run_package(&dir, Launch::default(), &test);
    run.assert_passed();
}
