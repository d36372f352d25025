//! `kago-server`: serves the built widget (`dist/`) and test pages on 127.0.0.1.
//!
//! Usage: `kago-server [--root DIR]... [--port N] [--no-csp] [--db FILE]`

use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;

use kago_server::{events, handle, orders, Config, Request};

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

    if let Err(message) = orders::init(&config.db).and_then(|()| events::init(&config.db)) {
        eprintln!("kago-server: database: {message}");
        return ExitCode::from(1);
    }

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
    println!("orders and events stored in {}", config.db.display());
    println!("listening on http://127.0.0.1:{port}");
    println!("funnel: http://127.0.0.1:{port}/funnel");
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
    for mut request in server.incoming_requests() {
        let mut req = Request::new(request.method().as_str(), request.url());
        // One byte more than the limit is enough to know the body is too large.
        let limit = orders::MAX_BODY as u64 + 1;
        let reply = match request.as_reader().take(limit).read_to_end(&mut req.body) {
            Ok(_) => handle(config, &req),
            Err(err) => orders::error(400, &format!("cannot read the request body: {err}")),
        };
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
