"""How a letter's fields are filled from the office's records: plain values in, catalog fields out.

The letter service loads the records (one letter, or a whole batch in a few queries) into the
plain dataclasses below and calls `build_fields`; this module knows the letter catalog's names and
codes and the plain words a client reads, in English and Spanish, and nothing about the database.
What the records cannot give comes back as a problem naming the field and what to do about it.
The fork server of the batch workers preloads it, and with it the renderer, so that the workers
it forks start quickly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from kantor_cases.domain import statuses as st
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.pd_regimes import BY_ID
from kantor_cases.domain.records import address_lines
from kantor_cases.letters import TemplateError, field_catalog
from kantor_cases.letters.formatting import Language, format_a_number, format_time, long_date

# Domain codes -> the letter catalog's choice codes.
HEARING_TYPE_CODES = {"initial_master": "initial-master", "master": "master", "master_reset": "master-reset",
                      "individual": "individual", "bond": "bond", "status": "status-conference"}
CUSTODY_CODES = {"detained": "detained", "never_detained": "never-detained", "released": "released"}
PD_ACTION_CODES = {"dismissal": "dismissal", "admin_closure": "administrative-closure",
                   "termination": "termination", "join_motion_reopen": "join-motion-to-reopen",
                   "stipulation": "stipulation", "no_opposition_continuance": "non-opposition-continuance",
                   "deferred_action": "deferred-action", "release": "release-from-detention"}
MATTER_KIND_CODES = {"removal": "removal-defense", "benefit": "immigration-benefit", "employment": "employment",
                     "labor": "labor", "other": "other"}

# --- plain words for a matter's stage (status-update letters) -----------------------------------------

# status -> (en sentence, es sentence, en short label, es short label)
_COURT_WORDS: dict[str, tuple[str, str, str, str]] = {
    "nta_served": ("The government has served you with a Notice to Appear but has not yet filed it with the "
                   "immigration court; your case begins when it is filed.",
                   "El gobierno le entregó una Notificación de Comparecencia, pero todavía no la ha presentado "
                   "ante la corte de inmigración; su caso comienza cuando se presente.",
                   "Notice to Appear served", "Notificación de Comparecencia entregada"),
    "pending_no_hearing": ("Your case is pending before the immigration court.",
                           "Su caso está pendiente ante la corte de inmigración.", "case pending in court",
                           "caso pendiente ante la corte"),
    "master_set": ("Your case is pending before the immigration court, at the stage of master calendar "
                   "hearings.", "Su caso está pendiente ante la corte de inmigración, en la etapa de las "
                   "audiencias del calendario principal.", "master calendar hearing set",
                   "audiencia del calendario principal fijada"),
    "continued": ("The court has continued (postponed) your case to a later date.",
                  "La corte aplazó su caso para una fecha posterior.", "hearing postponed",
                  "audiencia aplazada"),
    "individual_set": ("Your case has reached its individual hearing, the hearing at which the judge hears the "
                       "evidence and decides your case.", "Su caso llegó a la etapa de la audiencia individual, "
                       "en la que el juez escucha las pruebas y decide su caso.", "individual hearing set",
                       "audiencia individual fijada"),
    "decision_reserved": ("The judge has heard your case and reserved the decision until a grant under the "
                          "yearly limit becomes available.", "El juez escuchó su caso y reservó la decisión "
                          "hasta que haya una aprobación disponible dentro del límite anual.",
                          "decision reserved", "decisión reservada"),
    "relief_granted": ("The immigration judge granted your application.",
                       "El juez de inmigración aprobó su solicitud.", "the judge granted your application",
                       "el juez aprobó su solicitud"),
    # The deadlines that follow these orders are printed from the matter's deadlines (the letter's
    # appeal and voluntary-departure fields), never described without their dates.
    "removal_ordered": ("The immigration judge ordered your removal.", "El juez de inmigración ordenó su "
                        "deportación.", "the judge ordered removal", "el juez ordenó la deportación"),
    "voluntary_departure": ("The immigration judge granted you voluntary departure: you may leave the United "
                            "States on your own, at your own expense, instead of being removed.",
                            "El juez de inmigración le concedió la salida voluntaria: puede salir de los "
                            "Estados Unidos por su cuenta y a su costo, en lugar de la deportación.",
                            "the judge granted voluntary departure", "el juez concedió la salida voluntaria"),
    "in_absentia": ("The immigration judge ordered your removal in your absence (in absentia). It may be possible "
                    "to reopen the case; call us at once.", "El juez de inmigración ordenó su deportación en su "
                    "ausencia (in absentia). Puede ser posible reabrir el caso; llámenos de inmediato.",
                    "removal ordered in your absence", "deportación ordenada en su ausencia"),
    # Whether a hearing is still set is said from the hearing records, never here: a closed case
    # can keep a hearing on the court's calendar.
    "admin_closed": ("The court has administratively closed your case: it is off the court's active calendar, "
                     "but it can be put back on it (recalendared) later.", "La corte cerró administrativamente "
                     "su caso: ya no está en el calendario activo de la corte, pero puede volver a él más "
                     "adelante.", "case administratively closed", "caso cerrado administrativamente"),
    "terminated": ("The court has terminated your removal proceedings.",
                   "La corte dio por terminado su procedimiento de deportación.", "proceedings terminated",
                   "procedimiento terminado"),
    "dismissed": ("The court has dismissed your removal proceedings.",
                  "La corte desestimó su procedimiento de deportación.", "proceedings dismissed",
                  "procedimiento desestimado"),
    "change_of_venue": ("Your case is being moved to a different immigration court.",
                        "Su caso se está trasladando a otra corte de inmigración.", "case moved to another court",
                        "caso trasladado a otra corte"),
    "bia_appeal": ("Your appeal is pending before the Board of Immigration Appeals.",
                   "Su apelación está pendiente ante la Junta de Apelaciones de Inmigración.",
                   "appeal filed with the Board of Immigration Appeals",
                   "apelación presentada ante la Junta de Apelaciones de Inmigración"),
    "bia_dismissed": ("The Board of Immigration Appeals dismissed your appeal.",
                      "La Junta de Apelaciones de Inmigración desestimó su apelación.",
                      "the Board dismissed the appeal", "la Junta desestimó la apelación"),
    "bia_sustained": ("The Board of Immigration Appeals decided your appeal in your favor.",
                      "La Junta de Apelaciones de Inmigración decidió su apelación a su favor.",
                      "the Board decided the appeal in your favor", "la Junta decidió la apelación a su favor"),
    "bia_remanded": ("The Board of Immigration Appeals sent your case back to the immigration judge.",
                     "La Junta de Apelaciones de Inmigración devolvió su caso al juez de inmigración.",
                     "the Board sent the case back to the judge", "la Junta devolvió el caso al juez"),
    "motion_pending": ("A motion to reopen or reconsider your case is pending.",
                       "Está pendiente una moción para reabrir o reconsiderar su caso.",
                       "motion to reopen or reconsider filed", "moción de reapertura o reconsideración presentada"),
    "pfr_pending": ("Your petition for review is pending before the Ninth Circuit Court of Appeals.",
                    "Su petición de revisión está pendiente ante la Corte de Apelaciones del Noveno Circuito.",
                    "petition for review filed with the Ninth Circuit",
                    "petición de revisión presentada ante el Noveno Circuito"),
    "final": ("Your case in immigration court has ended.", "Su caso en la corte de inmigración ha terminado.",
              "case concluded", "caso concluido"),
}
_BENEFIT_WORDS: dict[str, tuple[str, str, str, str]] = {
    "preparing": ("We are preparing your application.", "Estamos preparando su solicitud.",
                  "application being prepared", "solicitud en preparación"),
    "filed": ("Your application has been filed with USCIS.", "Su solicitud fue presentada ante USCIS.",
              "application filed", "solicitud presentada"),
    "receipt_received": ("USCIS has received your application and sent a receipt notice.",
                         "USCIS recibió su solicitud y envió un aviso de recibo.", "receipt notice received",
                         "aviso de recibo recibido"),
    "biometrics": ("USCIS has scheduled or taken your fingerprints and photograph (biometrics).",
                   "USCIS programó o tomó sus huellas digitales y su fotografía (datos biométricos).",
                   "biometrics appointment", "cita de datos biométricos"),
    "rfe": ("USCIS has asked for more evidence before deciding your application.",
            "USCIS pidió más pruebas antes de decidir su solicitud.", "request for more evidence",
            "solicitud de más pruebas"),
    "interview": ("USCIS has scheduled an interview on your application.",
                  "USCIS programó una entrevista sobre su solicitud.", "interview scheduled",
                  "entrevista programada"),
    "approved": ("USCIS approved your application.", "USCIS aprobó su solicitud.", "application approved",
                 "solicitud aprobada"),
    "denied": ("USCIS denied your application. We will discuss your options with you.",
               "USCIS negó su solicitud. Hablaremos con usted sobre sus opciones.", "application denied",
               "solicitud negada"),
    "withdrawn": ("Your application has been withdrawn.", "Su solicitud fue retirada.", "application withdrawn",
                  "solicitud retirada"),
}
_EMPLOYMENT_LABELS: dict[str, tuple[str, str]] = {
    "intake": ("intake", "admisión"), "conflict_check": ("conflict check", "revisión de conflictos"),
    "engaged": ("engagement signed", "contrato de servicios firmado"),
    "investigation": ("investigation of the claim", "investigación del reclamo"),
    "agency_filing": ("filing with the agency", "presentación ante la agencia"),
    "agency_pending": ("claim pending at the agency", "reclamo pendiente ante la agencia"),
    "right_to_sue": ("right-to-sue notice issued", "aviso de derecho a demandar emitido"),
    "demand_mediation": ("demand and mediation", "reclamación extrajudicial y mediación"),
    "complaint_filed": ("lawsuit filed", "demanda presentada"),
    "discovery": ("discovery (the exchange of evidence)", "etapa de prueba (intercambio de pruebas)"),
    "settled": ("settled", "acuerdo alcanzado"), "judgment": ("judgment", "sentencia"),
    "dismissed": ("dismissed", "desestimado"), "appeal": ("appeal", "apelación"), "closed": ("closed", "cerrado"),
}
_LABOR_LABELS: dict[str, tuple[str, str]] = {
    "intake": ("intake", "admisión"), "charge_filed": ("charge filed with the NLRB", "cargo presentado ante la NLRB"),
    "investigation": ("NLRB investigation", "investigación de la NLRB"),
    "complaint_issued": ("complaint issued by the NLRB", "denuncia emitida por la NLRB"),
    "settled": ("settled", "acuerdo alcanzado"), "dismissed": ("dismissed", "desestimado"),
    "decided": ("decided", "decidido"), "closed": ("closed", "cerrado"),
}
_FIRM_WORDS: dict[str, tuple[str, str]] = {
    "intake": ("We are reviewing your matter.", "Estamos revisando su asunto."),
    "engaged": ("We have been engaged and are starting work on your matter.",
                "Fuimos contratados y estamos comenzando a trabajar en su asunto."),
    "active": ("We are working actively on your matter.", "Estamos trabajando activamente en su asunto."),
    "on_hold": ("Work on your matter is on hold for now.", "El trabajo en su asunto está en pausa por ahora."),
    "closed": ("Your matter is closed.", "Su asunto está cerrado."),
}

# Office defaults for a first document request: what every new file needs. The dialog shows
# them for editing; the CLI uses them as they are.
_DEFAULT_DOCUMENTS = {
    "en": [
        {"description": "Your passport, birth certificate and any other identity document", "reason":
         "to prove who you are", "originals": False},
        {"description": "Every notice or letter you have received from the immigration court, DHS, USCIS or any "
         "other agency about this matter", "reason": "so that we know every date and decision in your case",
         "originals": False},
        {"description": "Proof of your current address (a lease, a utility bill or a bank statement)",
         "reason": "to keep your address correct with the court and the agencies", "originals": False},
    ],
    "es": [
        {"description": "Su pasaporte, su acta de nacimiento y cualquier otro documento de identidad",
         "reason": "para probar su identidad", "originals": False},
        {"description": "Toda notificación o carta que haya recibido de la corte de inmigración, del DHS, de "
         "USCIS o de cualquier otra agencia sobre este asunto",
         "reason": "para conocer todas las fechas y decisiones de su caso", "originals": False},
        {"description": "Un comprobante de su domicilio actual (contrato de arrendamiento, factura de servicios o "
         "estado de cuenta bancario)", "reason": "para mantener su dirección al día ante la corte y las agencias",
         "originals": False},
    ],
}


# --- what the records say, as plain values --------------------------------------------------------------


@dataclass(frozen=True)
class CourtData:
    name: str
    street: str
    floor: str
    city: str
    state: str
    postal_code: str

    _FLOOR = re.compile(r"(?i)\b(\d+)(?:st|nd|rd|th)?\s+floor\b|\bfloor\s+(\d+)\b")

    def address_and_floor(self) -> tuple[str, str]:
        """('606 S. Olive Street\\nLos Angeles, CA 90014', '15') from the court table's columns.

        The table's floor column is free text ("15th Floor", "3rd Floor, Suite 300", "Suite 200"):
        the floor number goes to the letter's floor line, anything else (a suite) to the street line.
        """
        floor = ""
        rest = self.floor
        match = self._FLOOR.search(rest)
        if match:
            floor = match.group(1) or match.group(2)
            rest = rest[:match.start()] + rest[match.end():]
        rest = rest.strip(" ,;")
        street = ", ".join(p for p in (self.street, rest) if p)
        return "\n".join(address_lines(street, self.city, self.state, self.postal_code)), floor


@dataclass(frozen=True)
class ClientData:
    id: int
    name: str
    a_number: str
    address_lines: tuple[str, ...]
    language: str
    email: str
    detained: bool
    facility: str
    country_of_birth: str
    date_of_birth: date | None
    salutation: str = ""  # "mr", "ms" or "" (not recorded)


@dataclass(frozen=True)
class HearingData:
    id: int
    matter_id: int
    starts_at: datetime
    hearing_type: str
    courtroom: str
    judge: str
    interpreter: str
    court_id: int | None
    special_setting: bool = False  # the attorney confirmed a hearing on a day the courts are closed


@dataclass(frozen=True)
class MatterData:
    id: int
    client_id: int
    kind: str
    title: str
    firm_status: str
    government_status: str | None
    court_id: int | None = None
    judge: str = ""
    custody: str = ""
    employer: str = ""
    forms: tuple[str, ...] = ()
    relief: tuple[str, ...] = ()  # relief sought on a removal case (statuses.RELIEF_TYPES ids)


@dataclass(frozen=True)
class RelativeData:
    relationship: str  # spouse, child, parent, …
    status: str  # usc, lpr, other
    date_of_birth: date | None


@dataclass(frozen=True)
class PdData:
    id: int
    action: str
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    notes: str
    exhibits: tuple[str, ...]
    opla_name: str
    opla_lines: tuple[str, ...]
    channel: str = ""
    regime: str = ""


@dataclass
class LetterSubject:
    """Everything one letter is made from."""

    client: ClientData
    matter: MatterData | None = None
    hearing: HearingData | None = None
    upcoming: list[HearingData] = field(default_factory=list)  # the matter's (or client's) next hearings
    pd_pending: bool = False
    pd: PdData | None = None
    changes: list[tuple[datetime, str, str]] = field(default_factory=list)  # (when, track, to status)
    deadlines: dict[str, date] = field(default_factory=dict)  # rule id -> due date of the matter's open deadlines
    facility_lines: tuple[str, ...] = ()  # mailing address of the client's detention facility, if recorded
    paragraphs: Mapping[str, str] = field(default_factory=dict)  # language -> the office's standing paragraph
    relatives: list[RelativeData] = field(default_factory=list)  # the client's family (PD equities)


_JUDGE_PREFIX = re.compile(r"(?i)^(?:the\s+)?(?:hon\.?|honorable|judge|ij|immigration judge)\s+")
_COURTROOM_PREFIX = re.compile(r"(?i)^(?:courtroom|court room|room|sala)\s*(?:no\.?|#)?\s*")


def judge_name(name: str) -> str:
    """The judge's name as the letters print it after "Immigration Judge" ("Hon. A. Whitfield" -> "A. Whitfield")."""
    previous = None
    name = name.strip()
    while previous != name:
        previous, name = name, _JUDGE_PREFIX.sub("", name).strip()
    return name


def plain_value(value: Any) -> Any:
    """The JSON form a field is printed and stored in (dates as ISO text), so that printing again
    from the stored JSON gives exactly the same bytes."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


def choice_label(template_id: str, field_name: str, code: str, language: str) -> str:
    for info in field_catalog(template_id):
        if info.name == field_name:
            for choice in info.choices:
                if choice.code == code:
                    return choice.es if language == "es" else choice.en
    return code


# --- filling a template from the records ------------------------------------------------------------------------


def build_fields(template_id: str, language: str, subject: LetterSubject, courts: Mapping[int, CourtData],
                  letter_date: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields the records give for this letter, and (field -> why) for what they cannot give."""
    fields: dict[str, Any] = {}
    problems: dict[str, str] = {}
    client = subject.client
    es = language == "es"
    if template_id == "pd-request":
        _pd_fields(subject, courts, fields, problems, letter_date)
        return fields, problems
    fields["recipient.name"] = client.name
    if client.salutation:
        fields["recipient.title"] = client.salutation  # Spanish letters agree with it
    if client.address_lines:
        fields["recipient.address"] = "\n".join(client.address_lines)
    else:
        problems["recipient.address"] = f"{client.name} has no mailing address; add it on the client's profile."
    fields["recipient.delivery"] = "mail-and-email" if client.email else "mail"
    if template_id == "non-engagement":
        deadlines = []
        for hearing in subject.upcoming:
            court = courts.get(hearing.court_id) if hearing.court_id else None
            label = choice_label("hearing-reminder", "hearing.type", HEARING_TYPE_CODES.get(hearing.hearing_type,
                                                                                            hearing.hearing_type),
                                  language)
            where = f", {court.name}" if court else ""
            deadlines.append({"description": f"{label[:1].upper()}{label[1:]}{where}, {format_time(hearing.starts_at, 'es' if es else 'en')}",
                              "date": hearing.starts_at.date()})
        fields["deadlines"] = deadlines
        return fields, problems
    fields["client.full_name"] = client.name
    if client.a_number:
        fields["client.a_number"] = client.a_number
    elif template_id == "hearing-reminder":
        problems["client.a_number"] = (f"{client.name} has no A-number; the reminder prints it (the court's "
                                       "status line asks for it). Add it on the client's profile.")
    matter = subject.matter
    fields["matter.description"] = _matter_description(matter, courts, language)
    if matter is not None:
        fields["matter.kind"] = MATTER_KIND_CODES.get(matter.kind, "other")
    if template_id in ("hearing-reminder", "status-update"):
        fields["pd.pending"] = subject.pd_pending
    if template_id == "hearing-reminder":
        assert subject.hearing is not None and matter is not None
        _hearing_fields(subject.hearing, matter, courts, fields, problems)
        _custody_fields(subject, fields, problems)
        if subject.paragraphs.get(language, "").strip():
            fields["office.paragraph"] = subject.paragraphs[language]
    elif template_id == "status-update":
        assert matter is not None
        _status_fields(subject, courts, language, fields, problems)
    elif template_id == "document-request":
        fields["request.purpose"] = "para preparar su caso" if es else "so that we can prepare your case"
        fields["request.due_date"] = letter_date + timedelta(days=14)
        fields["documents"] = _DEFAULT_DOCUMENTS["es" if es else "en"]
    return fields, problems


def _matter_description(matter: MatterData | None, courts: Mapping[int, CourtData], language: str) -> str:
    es = language == "es"
    if matter is None:
        return "su caso con nuestra oficina" if es else "your case with our office"
    if matter.kind == "removal":
        court = courts.get(matter.court_id) if matter.court_id else None
        if es:
            return "su procedimiento de deportación" + (f" ante la corte de inmigración ({court.name})" if court else "")
        return "your removal proceedings" + (f" before the {court.name}" if court else "")
    if matter.kind == "benefit":
        forms = ", ".join(matter.forms)
        if es:
            return f"su solicitud {forms} ante USCIS" if forms else "su solicitud de inmigración"
        return f"your {forms} application to USCIS" if forms else "your immigration application"
    if matter.kind == "employment":
        if es:
            return f"su reclamo laboral contra {matter.employer}" if matter.employer else "su reclamo laboral"
        return f"your employment claim against {matter.employer}" if matter.employer else "your employment claim"
    if matter.kind == "labor":
        return ("su asunto ante la Junta Nacional de Relaciones Laborales (NLRB)" if es
                else "your matter before the National Labor Relations Board")
    return f"su asunto «{matter.title}»" if es else f"your matter “{matter.title}”"


def _hearing_fields(hearing: HearingData, matter: MatterData, courts: Mapping[int, CourtData], fields: dict[str, Any],
                    problems: dict[str, str]) -> None:
    court_id = hearing.court_id or matter.court_id
    court = courts.get(court_id) if court_id else None
    if court is None:
        problems["hearing.court_name"] = ("The hearing has no court; choose the court on the hearing (or on the "
                                          "removal case).")
    else:
        fields["hearing.court_name"] = court.name
        address, floor = court.address_and_floor()
        if court.street.strip():
            fields["hearing.court_address"] = address
        else:
            problems["hearing.court_address"] = (f"The court “{court.name}” has no address; add it under "
                                                 "Settings → Courts.")
        if floor:
            fields["hearing.floor"] = floor
    courtroom = _COURTROOM_PREFIX.sub("", hearing.courtroom.strip())
    if courtroom:
        fields["hearing.courtroom"] = courtroom
    judge = judge_name(hearing.judge or matter.judge)
    if judge:
        fields["hearing.judge"] = judge
    fields["hearing.date"] = hearing.starts_at.date()
    fields["hearing.time"] = hearing.starts_at.time()
    fields["hearing.type"] = HEARING_TYPE_CODES.get(hearing.hearing_type, hearing.hearing_type)
    if hearing.interpreter.strip():
        fields["hearing.interpreter_language"] = hearing.interpreter.strip()


def _custody_fields(subject: LetterSubject, fields: dict[str, Any], problems: dict[str, str]) -> None:
    """A client held on the removal case gets the detained reminder, mailed care of the facility
    with the A-number on the envelope (facilities sort detainees' mail by it)."""
    client, matter = subject.client, subject.matter
    assert matter is not None
    fields["case.custody"] = CUSTODY_CODES.get(matter.custody, matter.custody or "never-detained")
    if matter.custody != "detained":
        return
    if not client.facility.strip():
        problems["case.detention_facility"] = (f"Client {client.id} is detained on matter {matter.id}, but the "
                                               "detention facility is not recorded; add it on the client's "
                                               "profile.")
        return
    fields["case.detention_facility"] = client.facility
    if not subject.facility_lines:
        problems["recipient.address"] = (f"The detention facility of client {client.id} has no mailing address; "
                                         "add the facility, under the name on the client's profile, with its "
                                         "address under Settings → Organisations.")
        return
    a_number = format_a_number(client.a_number) if client.a_number else ""
    fields["recipient.delivery"] = "mail"  # a detainee reads no e-mail
    fields["recipient.address"] = "\n".join(
        ([a_number] if a_number else []) + [f"c/o {client.facility}", *subject.facility_lines])


def hearing_day_problem(hearing: HearingData) -> str | None:
    """Why a batch must not print a reminder for this hearing: immigration courts sit on business
    days only, so a hearing on a weekend or a federal holiday is a mistyped date until the attorney
    confirms it as a special setting."""
    if hearing.special_setting:
        return None
    closed = get_calendar("federal").why_closed(hearing.starts_at.date())
    if closed is None:
        return None
    return (f"Hearing {hearing.id} is set on {hearing.starts_at:%a %d %b %Y} ({closed}), when the immigration "
            "courts are closed; check the date with the court (1-800-898-7180) and correct the hearing, or have "
            "the attorney confirm it as a special setting.")


def _stage_words(matter: MatterData, status: str | None, language: str) -> tuple[str, str] | None:
    """(sentence, short label) for a government status in the letter's language."""
    if not status:
        return None
    es = language == "es"
    table = _COURT_WORDS if matter.kind == "removal" else _BENEFIT_WORDS if matter.kind == "benefit" else None
    if table is not None and status in table:
        en_sentence, es_sentence, en_label, es_label = table[status]
        return (es_sentence, es_label) if es else (en_sentence, en_label)
    labels = _EMPLOYMENT_LABELS if matter.kind == "employment" else _LABOR_LABELS if matter.kind == "labor" else {}
    if status in labels:
        label = labels[status][1 if es else 0]
        what = ("Su reclamo" if matter.kind == "employment" else "Su asunto") if es else (
            "Your claim" if matter.kind == "employment" else "Your matter")
        return (f"{what} se encuentra en esta etapa: {label}." if es else f"{what} is at this stage: {label}.",
                label)
    return None


# Court statuses after which the case is no longer on the court's active calendar: a hearing the
# records still show then is said plainly, with the instruction to attend it.
CLOSED_COURT_STATUSES = frozenset({"admin_closed", "terminated", "dismissed", "final"})
# Orders whose deadlines a status update must state, by the rule that computes each date.
_ORDER_DEADLINES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "removal_ordered": (("status.appeal_deadline", "bia-appeal", "the deadline to appeal to the Board of "
                         "Immigration Appeals"),),
    "voluntary_departure": (("status.vd_bond_due", "vd-bond", "the voluntary departure bond deadline"),
                            ("status.vd_departure_date", "vd-departure", "the last day to depart")),
}


def _status_fields(subject: LetterSubject, courts: Mapping[int, CourtData], language: str, fields: dict[str, Any],
                   problems: dict[str, str]) -> None:
    matter = subject.matter
    assert matter is not None
    es = language == "es"
    lang: Language = "es" if es else "en"
    words = _stage_words(matter, matter.government_status, language)
    if words is None:
        firm = _FIRM_WORDS.get(matter.firm_status)
        fields["status.current_stage"] = (firm[1] if es else firm[0]) if firm else (
            "Estamos trabajando en su asunto." if es else "We are working on your matter.")
    else:
        fields["status.current_stage"] = words[0]
    if matter.kind == "removal":
        fields["case.closed"] = matter.government_status in CLOSED_COURT_STATUSES
        for name, rule_id, what in _ORDER_DEADLINES.get(matter.government_status or "", ()):
            if rule_id in subject.deadlines:
                fields[name] = subject.deadlines[rule_id]
            else:
                problems[name] = (f"The update must give {what}, and matter {matter.id} has no open deadline "
                                  f"of rule {rule_id}; compute it under Deadlines first.")
    changes = []
    for at, _track, to_status in subject.changes:
        change = _stage_words(matter, to_status, language)
        if change is not None:
            label = change[1]
            changes.append(f"{long_date(at.date(), lang)}: {label[:1].upper()}{label[1:]}.")
    fields["status.changes"] = changes
    steps: list[dict[str, Any]] = []
    for hearing in subject.upcoming[:3]:
        court_id = hearing.court_id or matter.court_id
        court = courts.get(court_id) if court_id else None
        label = choice_label("hearing-reminder", "hearing.type",
                              HEARING_TYPE_CODES.get(hearing.hearing_type, hearing.hearing_type), language)
        place = f" {'en la' if es else 'at the'} {court.name}" if court else ""
        steps.append({"description": f"{label[:1].upper()}{label[1:]}{place}, {format_time(hearing.starts_at, lang)}",
                      "date": hearing.starts_at.date()})
    if not steps:
        steps.append({"description": "Le escribiremos en cuanto haya novedades en su caso o se fije una fecha."
                      if es else "We will write to you as soon as there is news in your case or a date is set."})
    fields["status.next_steps"] = steps
    fields["status.client_actions"] = []
    if subject.upcoming:
        first = subject.upcoming[0]
        court_id = first.court_id or matter.court_id
        fields["hearing.date"] = first.starts_at.date()
        fields["hearing.time"] = first.starts_at.time()
        if court_id and court_id in courts:
            fields["hearing.court_name"] = courts[court_id].name


def _pd_fields(subject: LetterSubject, courts: Mapping[int, CourtData], fields: dict[str, Any], problems: dict[str, str],
               letter_date: date) -> None:
    client, matter, pd = subject.client, subject.matter, subject.pd
    assert matter is not None and pd is not None
    fields["recipient.name"] = pd.opla_name or "Office of the Principal Legal Advisor"
    if pd.opla_lines:
        fields["recipient.address"] = "\n".join(pd.opla_lines)
    else:
        who = f"“{pd.opla_name}”" if pd.opla_name else "the PD request's OPLA office"
        problems["recipient.address"] = (f"There is no mailing address for {who}; add it to the office under "
                                         "Settings → Organisations, or choose the office on the PD request.")
    fields["recipient.salutation"] = "Chief Counsel"
    fields["recipient.delivery"] = "email" if re.search(r"(?i)\be-?mail", pd.channel) else "mail"
    fields["client.full_name"] = client.name
    if client.a_number:
        fields["client.a_number"] = client.a_number
    else:
        problems["client.a_number"] = f"{client.name} has no A-number; a PD request needs it."
    if client.country_of_birth:
        fields["client.country_of_birth"] = client.country_of_birth
    if client.date_of_birth:
        fields["client.date_of_birth"] = client.date_of_birth
    court_id = matter.court_id
    if subject.upcoming:
        first = subject.upcoming[0]
        court_id = first.court_id or court_id
        fields["hearing.date"] = first.starts_at.date()
        fields["hearing.type"] = HEARING_TYPE_CODES.get(first.hearing_type, first.hearing_type)
        judge = judge_name(first.judge or matter.judge)
    else:
        judge = judge_name(matter.judge)
        problems["hearing.date"] = "The matter has no upcoming hearing; the request's caption names the next one."
    if judge:
        fields["hearing.judge"] = judge
    if court_id and court_id in courts:
        fields["hearing.court_name"] = courts[court_id].name
    else:
        problems["hearing.court_name"] = "The removal case has no court; choose it on the matter."
    fields["case.custody"] = CUSTODY_CODES.get(matter.custody, matter.custody or "never-detained")
    if client.facility:
        fields["case.detention_facility"] = client.facility
    fields["pd.action_requested"] = PD_ACTION_CODES.get(pd.action, pd.action)
    regime = BY_ID.get(pd.regime)
    if regime is None:
        problems["pd.regime"] = (f"PD request {pd.id} names a regime this program does not know ({pd.regime!r}); "
                                 "choose the guidance it was made under on the request.")
    else:
        fields["pd.regime"] = regime.id
        fields["pd.priorities"] = regime.had_priorities
        fields["pd.guidance"] = regime.guidance
    if regime is not None and regime.had_priorities:
        reasons = [line.strip(" -•\t") for line in pd.notes.splitlines() if line.strip(" -•\t")]
        if reasons:
            fields["pd.not_priority_reasons"] = reasons
    equities, unwritten = _equities(subject, letter_date)
    fields["pd.positive_equities"] = equities
    if unwritten:
        problems["pd.positive_equities"] = (
            "The records hold no facts for these factors of the request: " + "; ".join(unwritten).lower()
            + ". Write each as a fact about the client in the equities before printing.")
    # Each negative factor needs the attorney's answer; the records know only which factor it is,
    # so the letter is refused until the response is written (the template requires it).
    fields["pd.negative_factors"] = [{"factor": st.PD_NEGATIVE_FACTORS.get(code, code)} for code in pd.negative]
    fields["pd.exhibits"] = [{"label": _exhibit_label(i), "description": text} for i, text in enumerate(pd.exhibits)]


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_STATUS_WORDS = {"usc": "United States citizen", "lpr": "lawful permanent resident"}
_RELATIVE_WORDS = {"spouse": ("spouse", "spouses"), "child": ("child", "children"), "parent": ("parent", "parents")}


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _equities(subject: LetterSubject, on: date) -> tuple[list[str], list[str]]:
    """The request's positive factors as facts from the records ("The Respondent has two United
    States citizen children, ages 9 and 12."), and the factors the records hold no facts for."""
    pd, client, matter = subject.pd, subject.client, subject.matter
    assert pd is not None and matter is not None
    facts: list[str] = []
    unwritten: list[str] = []
    for code in pd.positive:
        fact = None
        if code == "usc_lpr_family":
            fact = _family_fact(subject.relatives, on)
        elif code == "other_relief" and matter.relief:
            relief = [st.RELIEF_TYPES.get(r, r) for r in matter.relief if r != "termination"]
            if relief:
                fact = ("The Respondent is pursuing relief in these proceedings: "
                        + "; ".join(r[:1].lower() + r[1:] for r in relief) + ".")
        elif code == "age" and client.date_of_birth is not None:
            fact = f"The Respondent is {_age(client.date_of_birth, on)} years old."
        if fact is None:
            unwritten.append(st.PD_POSITIVE_FACTORS.get(code, code))
        else:
            facts.append(fact)
    return facts, unwritten


def _family_fact(relatives: Sequence[RelativeData], on: date) -> str | None:
    parts = []
    for relationship, (one, many) in _RELATIVE_WORDS.items():
        for status, status_words in _STATUS_WORDS.items():
            group = [r for r in relatives if r.relationship == relationship and r.status == status]
            if not group:
                continue
            count = len(group)
            words = f"{_NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else count} {status_words} {many}" \
                if count > 1 else f"a {status_words} {one}"
            ages = sorted(_age(r.date_of_birth, on) for r in group if r.date_of_birth is not None)
            if ages and len(ages) == count:
                listed = ages[0] if count == 1 else ", ".join(map(str, ages[:-1])) + f" and {ages[-1]}"
                words += f", {'age' if count == 1 else 'ages'} {listed}"
            parts.append(words)
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
    return f"The Respondent has {listed}."


def pd_checklist(pd: PdData) -> list[str]:
    """What the attorney must weigh before sending the request: advice, never text in the letter."""
    items = []
    if pd.action in ("dismissal", "termination"):
        items.append("A dismissal or termination granted in court can leave the client open to expedited removal "
                     "(INA 235(b)(1)), a practice since 2025: weigh it with the client before asking for or "
                     "accepting it; administrative closure keeps the case before the judge.")
    if pd.negative:
        items.append("Every negative factor needs a candid answer in the letter (disposition, rehabilitation).")
    items.append("Enclose a signed Form G-28 and confirm the EOIR-28 is on file with the court.")
    items.append("Hearings go on while the request is pending: keep the client's reminders running.")
    return items


def _exhibit_label(index: int) -> str:
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(65 + rest) + label
    return label


def template_problem(template_id: str, error: TemplateError) -> str:
    """A TemplateError in the words of the person at the desk, naming the field and what it is."""
    if error.field:
        base = error.field.split("[")[0]
        info = next((f for f in field_catalog(template_id) if f.name == base), None)
        what = f"“{info.description}” ({error.field})" if info else error.field
        if "missing" in error.message or "empty" in error.message:
            return f"The letter needs {what}, which is not filled in; the letter cannot be printed without it."
        return f"{what}: {error.message}"
    return error.message
