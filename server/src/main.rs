//! `kago-server`: serves the built widget (`dist/`) and test pages on 127.0.0.1.
//!
//! Usage: `kago-server [--root DIR]... [--port N] [--no-csp]`

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;

use kago_server::{handle, Config, Request};

const WORKERS: usize = 4;

fn main() -> ExitCode {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{}", Config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("kago-server: {message}\n{}", Config::USAGE);
            return ExitCode::from(2);
        }
    };

    let server = match tiny_http::Server::http(("127.0.0.1", config.port)) {
        Ok(server) => Arc::new(server),
        Err(err) => {
            eprintln!(
                "kago-server: cannot listen on 127.0.0.1:{}: {err}",
                config.port
            );
            return ExitCode::from(1);
        }
    };
    let port = server
        .server_addr()
        .to_ip()
        .map_or(config.port, |addr| addr.port());
    for root in &config.roots {
        println!("serving {}", root.display());
    }
    println!("listening on http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();

    let config = Arc::new(config);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let config = Arc::clone(&config);
            thread::spawn(move || serve(&server, &config))
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    ExitCode::SUCCESS
}

fn serve(server: &tiny_http::Server, config: &Config) {
    for request in server.incoming_requests() {
        let req = Request {
            method: request.method().as_str().to_owned(),
            url: request.url().to_owned(),
        };
        let reply = handle(config, &req);
        let status = reply.status;
        let mut response = tiny_http::Response::from_data(reply.body).with_status_code(status);
        for (name, value) in &reply.headers {
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(header);
            }
        }
        if let Err(err) = request.respond(response) {
            eprintln!("kago-server: {} {}: {err}", req.method, req.url);
        }
    }
}
