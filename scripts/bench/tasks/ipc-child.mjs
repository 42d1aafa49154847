// The baseline's worker: a child process that answers each IPC message with
// the same message (Node's advanced serialization, the cheapest it has).
process.on("message", (message) => process.send(message));
