// Reads a JSON list of .ics texts on stdin; prints, for each, its events' UID and UTC start and
// end (Unix seconds) as Mozilla's ical.js (Thunderbird's reader) works them out from the file's
// own VTIMEZONE, or {"error": ...} where ical.js cannot read the file.
import ICAL from "ical.js";

function read(text) {
  try {
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const zone of calendar.getAllSubcomponents("vtimezone")) {
      ICAL.TimezoneService.register(zone);
    }
    return calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {uid: event.uid, start: event.startDate.toUnixTime(), end: event.endDate.toUnixTime(),
              tzid: event.startDate.zone ? event.startDate.zone.tzid : null};
    });
  } catch (error) {
    return {error: String(error)};
  } finally {
    ICAL.TimezoneService.reset();
  }
}

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(JSON.parse(input).map(read))); });
