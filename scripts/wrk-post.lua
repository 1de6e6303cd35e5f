-- wrk script: POST the body in $WRK_BODY as JSON (for GraphQL cases of bench-http.sh).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
