; ch4_calls.s — a guest kernel routine called many times: call, a little work, ret.
;
; Expected output: "checksum 90300", exit code 0.
;ko: ch4_calls.s — 여러 번 호출되는 게스트 커널 루틴: call, 약간의 작업, ret.
;ko:
;ko: 예상 출력: "checksum 90300", 종료 코드 0.

.equ N, 300

_start:
    mov esp, 0x80000
    xor ebx, ebx
    mov ecx, N
again:
    call mix
    loop again
    mov esi, s_sum
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
report:
    out 0xE9, eax               ; slot `report`: privileged
                                ;ko: 슬롯 `report`: 특권 명령
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

mix:                            ; ebx += 2 * ecx
                                ;ko: ebx에 2 * ecx를 더함
step:
    add ebx, ecx                ; slot `step`: innocuous
                                ;ko: 슬롯 `step`: 무해한 명령
    add ebx, ecx
back:
    ret                         ; slot `back`: innocuous, but an indirect jump
                                ;ko: 슬롯 `back`: 무해한 명령이지만 간접 점프

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

s_sum: .asciz "checksum "
