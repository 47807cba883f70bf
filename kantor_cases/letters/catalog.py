"""The field catalog of each built-in letter template: names, meanings, kinds and sample values.

The template editor lists these fields, previews use the samples, `validate_template` refuses a
source that uses a name not listed here, and rendering refuses to print a letter whose required
fields are missing. Field names are dotted (``client.full_name``); callers may pass them flat
(``{"client.full_name": ...}``) or nested (``{"client": {"full_name": ...}}``).
Fields whose `source` is "letterhead" or "letter" are filled in by the renderer itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Literal

from kantor_cases.domain.pd_regimes import REGIMES

FieldKind = Literal["text", "multiline", "date", "time", "a_number", "money", "bool", "choice", "list"]
FieldSource = Literal["fields", "letterhead", "letter"]


@dataclass(frozen=True)
class Choice:
    """One allowed code of a choice field and how it reads in each letter language."""

    code: str
    en: str
    es: str


@dataclass(frozen=True)
class FieldInfo:
    """One named field a template may use.

    `required` fields must be present and non-blank; optional ones print nothing when absent.
    A "list" field holds strings, or records whose fields are described by `items`.
    A "choice" value that matches a code prints that code's label in the letter's language;
    any other text prints as given.
    """

    name: str
    description: str
    sample: object
    kind: FieldKind = "text"
    required: bool = True
    choices: tuple[Choice, ...] = ()
    items: tuple[FieldInfo, ...] = ()
    source: FieldSource = "fields"
    # (choice field, codes): the field becomes required when that choice holds one of the codes,
    # e.g. the flat fee amount when the fee type is "flat".
    required_if: tuple[str, tuple[str, ...]] | None = None
    # Sample for Spanish previews, where the English sample would read oddly; None: use `sample`.
    sample_es: object = None
    # Terms that vary per client and are written by a person: each language needs its own text
    # (Civ. Code 1632), so a letter in one language never prints another's (see services/letters).
    per_language: bool = False


def _f(name: str, description: str, sample: object, kind: FieldKind = "text", **kw: object) -> FieldInfo:
    return FieldInfo(name, description, sample, kind, **kw)  # type: ignore[arg-type]


HEARING_TYPES = (
    Choice("initial-master", "initial master calendar hearing", "audiencia inicial del calendario principal"),
    Choice("master", "master calendar hearing", "audiencia del calendario principal"),
    Choice("master-reset", "master calendar hearing (reset)", "audiencia del calendario principal (reprogramada)"),
    Choice("individual", "individual (merits) hearing", "audiencia individual (de fondo)"),
    Choice("bond", "bond hearing", "audiencia de fianza"),
    Choice("status-conference", "status conference", "conferencia sobre el estado del caso"),
)
CUSTODY = (
    Choice("detained", "detained", "detenido"),
    Choice("never-detained", "not detained (never detained)", "no detenido (nunca detenido)"),
    Choice("released", "released from custody", "liberado de la custodia"),
)
PD_ACTIONS = (
    Choice("dismissal", "dismissal of these proceedings without prejudice", "sobreseimiento del procedimiento"),
    Choice("administrative-closure", "administrative closure of these proceedings", "cierre administrativo del procedimiento"),
    Choice("termination", "termination of these proceedings", "terminación del procedimiento"),
    Choice("join-motion-to-reopen", "joining a motion to reopen", "adhesión a una moción de reapertura"),
    Choice("stipulation", "a stipulation to eligibility for relief", "una estipulación sobre la elegibilidad para un alivio"),
    Choice("non-opposition-continuance", "non-opposition to a continuance", "no oposición a una prórroga"),
    Choice("deferred-action", "deferred action", "acción diferida"),
    Choice("release-from-detention", "release from detention", "liberación de la detención"),
)
PD_REGIMES = tuple(Choice(regime.id, regime.guidance, regime.guidance) for regime in REGIMES)
FEE_TYPES = (
    Choice("flat", "flat fee", "honorario fijo"),
    Choice("hourly", "hourly fee", "honorario por hora"),
    Choice("contingency", "contingency fee", "honorario contingente"),
)
# What a contingency percentage is taken of: one basis per agreement, so the letter never says both.
CONTINGENCY_BASES = (
    Choice("gross", "gross recovery (before costs are repaid)", "suma total obtenida (antes de reembolsar los gastos)"),
    Choice("net", "net recovery (after costs are repaid)", "suma neta obtenida (después de reembolsar los gastos)"),
)

DELIVERY = (
    Choice("mail", "By first-class mail", "Por correo de primera clase"),
    Choice("mail-and-email", "By first-class mail and e-mail", "Por correo de primera clase y correo electrónico"),
    Choice("email", "By e-mail", "Por correo electrónico"),
    Choice("certified-mail", "By certified mail, return receipt requested", "Por correo certificado con acuse de recibo"),
    Choice("hand", "By hand delivery", "Entregada en persona"),
)
# Codes are the English names, so a caller that already stores "Vietnamese" gets the Spanish
# "vietnamita" in a Spanish letter; a language not listed prints as given.
INTERPRETER_LANGUAGES = (
    Choice("Spanish", "Spanish", "español"),
    Choice("Armenian", "Armenian", "armenio"),
    Choice("Russian", "Russian", "ruso"),
    Choice("Vietnamese", "Vietnamese", "vietnamita"),
    Choice("Mandarin", "Mandarin", "mandarín"),
    Choice("Cantonese", "Cantonese", "cantonés"),
    Choice("Korean", "Korean", "coreano"),
    Choice("Tagalog", "Tagalog", "tagalo"),
    Choice("Farsi", "Farsi", "farsi"),
    Choice("Arabic", "Arabic", "árabe"),
    Choice("Portuguese", "Portuguese", "portugués"),
    Choice("K'iche'", "K'iche'", "k'iche'"),
    Choice("Mam", "Mam", "mam"),
    Choice("Q'anjob'al", "Q'anjob'al", "q'anjob'al"),
)

MATTER_KINDS = (
    Choice("removal-defense", "removal defense", "defensa contra la deportación"),
    Choice("immigration-benefit", "immigration benefit application", "solicitud de beneficio migratorio"),
    Choice("employment", "employment claim", "reclamo laboral"),
    Choice("labor", "labor (union / NLRB) matter", "asunto sindical (NLRB)"),
    Choice("other", "other matter", "otro asunto"),
)


# The recipient's recorded form of address: Spanish letters agree with it (Estimado/Estimada,
# lo/la); without one they use the neutral form (Estimado(a), le).
FORMS_OF_ADDRESS = (
    Choice("mr", "Mr.", "Sr."),
    Choice("ms", "Ms.", "Sra."),
)


def _recipient(name: str, address: str, delivery: str, salutation: str | None = None,
               title: str | None = None) -> tuple[FieldInfo, ...]:
    return (
        _f("recipient.name", "Name of the person or office the letter is addressed to", name),
        _f("recipient.address", "Mailing address, one line per line", address, "multiline"),
        _f("recipient.salutation", "Name after 'Dear' (defaults to the recipient's name)", salutation, required=False),
        _f("recipient.title", "Mr. or Ms. (Spanish letters agree with it; blank: neutral wording)", title, "choice", required=False, choices=FORMS_OF_ADDRESS),
        _f("recipient.delivery", "How the letter is sent, printed above the address", delivery, "choice", required=False, choices=DELIVERY),
    )


_CLIENT_RECIPIENT = _recipient("Nguyễn Thị Hương", "1457 W. Temple Street, Apt. 3\nLos Angeles, CA 90026", "mail-and-email",
                               title="ms")

_FIRM = (
    _f("firm.name", "Firm name (firm settings)", "Law Offices of Miriam R. Kantor", source="letterhead"),
    _f("firm.attorney_name", "Signing attorney (firm settings)", "Miriam R. Kantor", source="letterhead"),
    _f("firm.bar_number", "Attorney's State Bar number (firm settings)", "123456", source="letterhead"),
    _f("firm.phone", "Office telephone (firm settings)", "(310) 555-0142", source="letterhead"),
    _f("firm.email", "Office e-mail (firm settings)", "office@kantorlaw.example", source="letterhead"),
    _f("firm.address", "Office address on one line (firm settings)", "9454 Wilshire Boulevard, Suite 600, Beverly Hills, California 90212", source="letterhead"),
    _f("letter.date", "Date of the letter", date(2026, 11, 29), "date", source="letter"),
)
_COMMON = _CLIENT_RECIPIENT + _FIRM

_CLIENT = _f("client.full_name", "Client's full name as on the court papers", "Nguyễn Thị Hương")
_A_NUMBER = _f("client.a_number", "A-number (printed as A012-345-678)", "A012345678", "a_number")
_A_NUMBER_OPT = _f("client.a_number", "A-number, if any (printed as A012-345-678)", "A012345678", "a_number", required=False)
_MATTER = _f("matter.description", "The matter in plain words", "your removal proceedings before the Los Angeles Immigration Court", sample_es="su procedimiento de deportación ante la Corte de Inmigración de Los Ángeles")
_MATTER_KIND = _f("matter.kind", "Kind of matter (immigration wording is added for immigration matters)", "removal-defense", "choice", choices=MATTER_KINDS)
_PD_PENDING = _f("pd.pending", "A prosecutorial-discretion request is pending (hearings still go on)", True, "bool", required=False)
_OFFICE_PARAGRAPH = _f("office.paragraph", "The office's own standing paragraph for this letter, in the letter's language (set once for all letters)", None, "multiline", required=False)
_DATED_ITEM = (
    _f("description", "What happens or is due", "Deadline to file the appeal with the Board of Immigration Appeals"),
    _f("date", "When", date(2027, 1, 4), "date", required=False),
)

_HEARING = (
    _f("hearing.court_name", "Name of the court", "Los Angeles Immigration Court (Olive Street)"),
    _f("hearing.court_address", "Street address of the court, one line per line", "606 S. Olive Street\nLos Angeles, CA 90014", "multiline"),
    _f("hearing.floor", "Floor number", "15", required=False),
    _f("hearing.courtroom", "Courtroom number", "12", required=False),
    _f("hearing.judge", "Immigration judge", "Daniel P. Whitcomb", required=False),
    _f("hearing.date", "Hearing date", date(2027, 1, 12), "date"),
    _f("hearing.time", "Hearing time", time(8, 30), "time"),
    _f("hearing.type", "Kind of hearing", "master", "choice", choices=HEARING_TYPES),
    _f("hearing.interpreter_language", "Language of the court interpreter, if one is needed", "Vietnamese", "choice", required=False, choices=INTERPRETER_LANGUAGES),
)

CATALOGS: dict[str, tuple[FieldInfo, ...]] = {
    "engagement": _COMMON + (
        _CLIENT,
        _A_NUMBER_OPT,
        _MATTER,
        _MATTER_KIND,
        _f("engagement.scope_items", "Services included", ["Preparing and filing your application for cancellation of removal (EOIR-42B)", "Representing you at every master calendar hearing and at the individual hearing", "Preparing you and your witnesses for testimony"], "list", sample_es=['Preparar y presentar su solicitud de cancelación de la deportación (EOIR-42B)', 'Representarla en todas las audiencias del calendario principal y en la audiencia individual', 'Prepararla a usted y a sus testigos para declarar'], per_language=True),
        _f("engagement.excluded_items", "Services not included", ["Any appeal to the Board of Immigration Appeals or petition for review", "Criminal matters, including post-conviction relief", "Applications to USCIS not listed above"], "list", sample_es=['Cualquier apelación ante la Junta de Apelaciones de Inmigración o petición de revisión', 'Asuntos penales, incluidos los recursos posteriores a una condena', 'Solicitudes ante USCIS no mencionadas arriba'], per_language=True),
        _f("engagement.fee_type", "flat, hourly or contingency", "flat", "choice", choices=FEE_TYPES),
        _f("engagement.flat_fee", "Flat fee amount", Decimal("7500"), "money", required=False, required_if=("engagement.fee_type", ("flat",))),
        _f("engagement.hourly_rate", "Attorney hourly rate", Decimal("450"), "money", required=False, required_if=("engagement.fee_type", ("hourly",))),
        _f("engagement.staff_hourly_rate", "Paralegal / staff hourly rate", Decimal("150"), "money", required=False),
        _f("engagement.advance_deposit", "Advance fee deposit held in trust", Decimal("2500"), "money", required=False),
        _f("engagement.payment_schedule", "When the fee is paid", "$2,500 at signing and $500 on the first day of each month until paid in full", required=False, sample_es='$2,500 al firmar y $500 el primer día de cada mes hasta completar el pago', per_language=True),
        _f("engagement.contingency_rate", "Contingency percentage", "33⅓%", required=False, required_if=("engagement.fee_type", ("contingency",))),
        _f("engagement.contingency_basis", "The percentage is of the gross or of the net recovery", "gross", "choice", required=False, choices=CONTINGENCY_BASES, required_if=("engagement.fee_type", ("contingency",))),
        _f("engagement.attorney_insured", "The attorney carries professional liability insurance (Rule 1.4.2)", True, "bool"),
        _f("engagement.negotiated_in_spanish", "The agreement was negotiated primarily in Spanish (Civ. Code 1632)", True, "bool", required=False),
    ),
    "non-engagement": _recipient("Armen Petrosyan", "5120 Hollywood Boulevard, Unit 12\nLos Angeles, CA 90027", "certified-mail", title="mr") + _FIRM + (
        _f("consultation.date", "Date of the consultation", date(2026, 11, 20), "date"),
        _f("consultation.matter", "What the consultation was about", "your removal proceedings before the Los Angeles Immigration Court", sample_es='su procedimiento de deportación ante la Corte de Inmigración de Los Ángeles'),
        _f("consultation.reason", "Reason we are not taking the matter (optional)", "our office is not able to take on new removal cases before that hearing", required=False, sample_es='nuestra oficina no puede aceptar nuevos casos de deportación antes de esa audiencia'),
        _f("deadlines", "Known dates and deadlines (no advice on merits)", [{"description": "Next master calendar hearing, Los Angeles Immigration Court, 606 S. Olive Street", "date": date(2027, 1, 12)}], "list", items=_DATED_ITEM, sample_es=[{'description': 'Próxima audiencia del calendario principal, Corte de Inmigración de Los Ángeles, 606 S. Olive Street', 'date': '2027-01-12'}]),
        _f("documents_returned", "Original documents returned with the letter", ["Notice to Appear (original)", "Passport of Guatemala"], "list", sample_es=['Notificación de comparecencia (original)', 'Pasaporte de Guatemala']),
    ),
    "hearing-reminder": _COMMON + (_CLIENT, _A_NUMBER) + _HEARING + (
        _PD_PENDING,
        _f("case.custody", "Custody on the removal case (a detained client gets the detained wording)", "released", "choice", required=False, choices=CUSTODY),
        _f("case.detention_facility", "Detention facility, if detained", "Adelanto ICE Processing Center", required=False),
        _OFFICE_PARAGRAPH,
    ),
    "pd-request": _recipient(
        "Office of the Principal Legal Advisor, Los Angeles",
        "U.S. Immigration and Customs Enforcement\nLos Angeles, California",
        "email",
        "Chief Counsel",
    ) + _FIRM + (
        _f("client.full_name", "Respondent's full name as on the Notice to Appear", "Armen Petrosyan"),
        _f("client.a_number", "A-number (printed as A012-345-678)", "A208456123", "a_number"),
        _f("client.country_of_birth", "Respondent's country of birth", "Armenia", required=False),
        _f("client.date_of_birth", "Respondent's date of birth", date(1979, 3, 14), "date", required=False),
        _f("hearing.court_name", "Immigration court", "Los Angeles Immigration Court (Olive Street)"),
        _f("hearing.judge", "Immigration judge", "Daniel P. Whitcomb"),
        _f("hearing.date", "Next hearing date", date(2027, 1, 12), "date"),
        _f("hearing.type", "Next hearing type", "individual", "choice", choices=HEARING_TYPES),
        _f("case.custody", "Custody status", "never-detained", "choice", choices=CUSTODY),
        _f("case.detention_facility", "Detention facility, if detained", "Adelanto ICE Processing Center", required=False),
        _f("pd.action_requested", "Action requested of OPLA", "dismissal", "choice", choices=PD_ACTIONS),
        _f("pd.regime", "The guidance the request is made under (stored on the request)", "post-2025", "choice", required=False, choices=PD_REGIMES),
        _f("pd.priorities", "The guidance set enforcement priorities (the letter then says why the respondent is not one)", False, "bool", required=False),
        _f("pd.guidance", "The guidance as the letter cites it", "the agency's inherent prosecutorial discretion", required=False, required_if=("pd.priorities", ("True",))),
        _f("pd.not_priority_reasons", "Why the respondent is not an enforcement priority (guidance with priorities only)", ["He has lived in the United States continuously since 2003 and has no criminal record.", "He is not a threat to national security, public safety or border security."], "list", required=False, required_if=("pd.priorities", ("True",))),
        _f("pd.positive_equities", "Equities and humanitarian factors, written as facts about the respondent", ["Father of two United States citizen children, ages 9 and 14, and their primary provider", "Twenty-three years of continuous residence in Los Angeles", "Steady employment as a licensed electrician since 2008; taxes filed every year", "Active member of St. Gregory Armenian Church, where he volunteers weekly"], "list"),
        _f("pd.argument", "The closing argument, if the attorney writes it (otherwise the standard one for the guidance)", None, "multiline", required=False),
        _f("pd.negative_factors", "Negative factors and how each is addressed", [{"factor": "A 2009 misdemeanor conviction for driving without a license (Cal. Veh. Code 12500(a))", "response": "A single non-violent traffic offense more than fifteen years ago; he has since obtained a California driver's license under AB 60 and has no other arrests."}], "list", items=(
            _f("factor", "The negative factor, stated candidly", "A 2009 misdemeanor conviction"),
            _f("response", "Disposition, rehabilitation or why it should not weigh against him", "Fine paid; no other arrests"),
        )),
        _f("pd.exhibits", "Exhibit index", [{"label": "A", "description": "Form G-28 and EOIR-28 on file"}, {"label": "B", "description": "Birth certificates of the respondent's U.S. citizen children"}, {"label": "C", "description": "Federal tax returns, 2019–2025"}, {"label": "D", "description": "Letter from employer, Pacific Electric Services"}, {"label": "E", "description": "Certified disposition, Los Angeles Superior Court case no. 9VN01234"}], "list", items=(
            _f("label", "Exhibit letter", "A"),
            _f("description", "What the exhibit is", "Birth certificates"),
        )),
    ),
    "status-update": _COMMON + (
        _CLIENT,
        _A_NUMBER_OPT,
        _MATTER,
        _f("status.current_stage", "Where the case stands, in plain words", "The court has set your individual hearing, the hearing at which the judge will decide your application for cancellation of removal.", sample_es='La corte fijó su audiencia individual, la audiencia en la que el juez decidirá su solicitud de cancelación de la deportación.'),
        _f("status.changes", "What changed since our last letter", ["On November 17, 2026 the judge accepted your application for filing.", "The government's attorney received a copy of all our evidence."], "list", sample_es=['El 17 de noviembre de 2026 el juez aceptó su solicitud.', 'El abogado del gobierno recibió una copia de todas nuestras pruebas.']),
        _f("status.next_steps", "Next steps and their dates", [{"description": "We file the remaining evidence with the court", "date": date(2027, 2, 26)}, {"description": "Your individual hearing", "date": date(2027, 3, 29)}], "list", items=_DATED_ITEM, sample_es=[{'description': 'Presentamos ante la corte las pruebas restantes', 'date': '2027-02-26'}, {'description': 'Su audiencia individual', 'date': '2027-03-29'}]),
        _f("status.client_actions", "What the client must do", ["Bring your 2025 tax return to our office by February 12, 2027.", "Ask two people who know you well to write letters of support."], "list", sample_es=['Traiga su declaración de impuestos de 2025 a nuestra oficina a más tardar el 12 de febrero de 2027.', 'Pida a dos personas que la conozcan bien que escriban cartas de apoyo.']),
        _f("hearing.date", "Next hearing date, if any", date(2027, 3, 29), "date", required=False),
        _f("hearing.time", "Next hearing time", time(8, 30), "time", required=False),
        _f("hearing.court_name", "Court of the next hearing", "Los Angeles Immigration Court (Olive Street)", required=False),
        _f("matter.kind", "Kind of matter (a removal case with no hearing says so)", "removal-defense", "choice", required=False, choices=MATTER_KINDS),
        _f("case.closed", "The court has closed the case (administratively or for good); a hearing still set is then said plainly", False, "bool", required=False),
        _f("status.appeal_deadline", "Deadline to appeal a removal order to the BIA (from the matter's deadlines)", None, "date", required=False),
        _f("status.vd_bond_due", "Deadline to post the voluntary departure bond", None, "date", required=False),
        _f("status.vd_departure_date", "Last day to leave the United States under voluntary departure", None, "date", required=False),
        _PD_PENDING,
    ),
    "document-request": _COMMON + (
        _CLIENT,
        _MATTER,
        _f("request.purpose", "Why we need the documents", "to prepare your application for cancellation of removal", sample_es='para preparar su solicitud de cancelación de la deportación'),
        _f("request.due_date", "Date by which we need them", date(2027, 1, 15), "date"),
        _f("request.delivery", "How to deliver them (optional; a standard text is used otherwise)", "Bring them to our office Monday to Friday, 9:00 a.m. to 5:00 p.m., or e-mail clear scans.", required=False, sample_es='Tráigalos a nuestra oficina de lunes a viernes, de 9:00 a. m. a 5:00 p. m., o envíe copias escaneadas claras por correo electrónico.'),
        _f("documents", "The documents requested", [{"description": "Your passport and any I-94 record", "reason": "to prove your identity and your entry", "originals": True}, {"description": "Birth certificates of your children born in the United States", "reason": "to prove your qualifying relatives", "originals": False}, {"description": "Federal tax returns and W-2 forms for 2016 to 2025", "reason": "to prove ten years of presence and good moral character", "originals": False}], "list", items=(
            _f("description", "The document", "Your passport"),
            _f("reason", "Why it is needed", "to prove your identity", required=False),
            _f("originals", "Bring the original as well as a copy", False, "bool", required=False),
        ), sample_es=[{'description': 'Su pasaporte y cualquier registro I-94', 'reason': 'para probar su identidad y su entrada', 'originals': True}, {'description': 'Actas de nacimiento de sus hijos nacidos en los Estados Unidos', 'reason': 'para probar sus familiares calificados', 'originals': False}, {'description': 'Declaraciones de impuestos federales y formularios W-2 de 2016 a 2025', 'reason': 'para probar diez años de presencia y buena conducta moral', 'originals': False}]),
    ),
    "closing": _COMMON + (
        _CLIENT,
        _A_NUMBER_OPT,
        _MATTER,
        _f("closing.outcome", "Outcome in plain words", "the Immigration Judge granted your application for cancellation of removal, and you are now a lawful permanent resident", sample_es='el juez de inmigración aprobó su solicitud de cancelación de la deportación y usted es ahora residente permanente legal'),
        _f("closing.outcome_date", "Date of the outcome", date(2026, 11, 3), "date"),
        _f("closing.obligations", "What the client must still do", ["Carry proof of your permanent resident status with you at all times.", "Tell DHS of any change of address within 10 days (Form AR-11).", "Renew your permanent resident card before it expires."], "list", sample_es=['Lleve siempre consigo la prueba de su residencia permanente.', 'Informe al DHS de cualquier cambio de dirección dentro de 10 días (Formulario AR-11).', 'Renueve su tarjeta de residente permanente antes de que venza.']),
        _f("closing.deadlines", "Remaining deadlines and dates", [{"description": "Earliest date to apply for naturalization (Form N-400)", "date": date(2031, 8, 5)}], "list", items=_DATED_ITEM, sample_es=[{'description': 'Primera fecha en que puede solicitar la naturalización (Formulario N-400)', 'date': '2031-08-05'}]),
        _f("closing.file_retention_years", "How long we keep the file", "5"),
        _f("closing.trust_refund", "Unused funds refunded from the client trust account", Decimal("312.50"), "money", required=False),
    ),
}

TEMPLATE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "engagement": ("en", "es"),
    "non-engagement": ("en", "es"),
    "hearing-reminder": ("en", "es"),
    "pd-request": ("en",),
    "status-update": ("en", "es"),
    "document-request": ("en", "es"),
    "closing": ("en", "es"),
}
TEMPLATE_IDS: tuple[str, ...] = tuple(TEMPLATE_LANGUAGES)
