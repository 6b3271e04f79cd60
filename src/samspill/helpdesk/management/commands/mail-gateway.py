"""`samspill mail-gateway`: receive e-mail over SMTP and turn it into tickets."""

import time

from django.core.management.base import BaseCommand

from samspill.helpdesk.mail.gateway import controller


class Command(BaseCommand):
    help = "Receive e-mail over SMTP (for a forwarded service address) and turn it into tickets."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on.")

    def handle(self, *args, host, port, **options):
        smtp = controller(host, port)
        smtp.start()
        self.stdout.write(f"Receiving mail on {host}:{port} (Ctrl+C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            smtp.stop()
