"""EHF / PEPPOL BIS Billing 3.0: customer invoices and credit notes as UBL 2.1 XML."""

from samspill.localization.no.ehf.writer import NoEhf, check_ehf_possible, ehf_filename, invoice_xml

__all__ = ["NoEhf", "check_ehf_possible", "ehf_filename", "invoice_xml"]
