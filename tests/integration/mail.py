"""Mail for the reliability tests: a slow backend (so a worker can be killed while it sends), a tiny SMTP server (so
the mail server can be down, then up) and one that holds each email until the test lets it go (so the test can act
while the sender waits for the mail server's answer)."""

import os
import socketserver
import threading
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class SlowFileBackend(FileBackend):
    """Writes each email to a file, after SLOW_MAIL_SECONDS: a mail server that takes its time."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "30")))
        return super().send_messages(email_messages)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test.smtp ready")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-test.smtp")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data.decode(errors="replace"))
                self.server.received.append("".join(lines))
                self.server.hold()
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.received: list[str] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def hold(self) -> None:
        """Called with each email received, before the mail server answers that it has it."""

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class HoldingSMTPServer(SMTPServer):
    """Has each email (it counts as received) but answers only once the test calls `release`: the moment a sender
    waits for the mail server's word that the email was accepted."""

    def __init__(self, port: int) -> None:
        self._lock = threading.Lock()
        self._waiting: list[threading.Event] = []
        super().__init__(port)

    def hold(self) -> None:
        gate = threading.Event()
        with self._lock:
            self._waiting.append(gate)
        gate.wait(timeout=120)

    def held(self) -> int:
        with self._lock:
            return sum(not gate.is_set() for gate in self._waiting)

    def release(self) -> None:
        with self._lock:
            for gate in self._waiting:
                gate.set()
            self._waiting.clear()
